-- wrk: POST /v1/verifications/{key}/check with the right code, each key once
-- (LINES_FILE: "key code" lines; run it shorter than the sends, so keys last).
dofile("tools/load/common.lua")
dofile("tools/load/lines.lua")

function request()
  local item = next_line()
  return wrk.format("POST", "/v1/verifications/" .. item[1] .. "/check", {["Content-Type"] = "application/json"},
    '{"code":"' .. item[2] .. '"}')
end
