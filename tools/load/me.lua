-- wrk: GET /v1/members/me with a pre-registered member's token
-- (LINES_FILE: "username password token" lines).
dofile("tools/load/common.lua")
dofile("tools/load/lines.lua")

function request()
  return wrk.format("GET", "/v1/members/me", {["Authorization"] = "Bearer " .. next_line()[3]})
end
