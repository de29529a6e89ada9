-- wrk: POST /v1/sessions with the right password of a pre-registered member
-- (LINES_FILE: "username password token" lines; successful logins never lock).
dofile("tools/load/common.lua")
dofile("tools/load/lines.lua")

function request()
  local item = next_line()
  return wrk.format("POST", "/v1/sessions", {["Content-Type"] = "application/json"},
    '{"username":"' .. item[1] .. '","password":"' .. item[2] .. '"}')
end
