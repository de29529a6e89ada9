-- wrk: join and leave one large group, alternately, as members outside it
-- (LINES_FILE from groups-setup.py: "group_id token" lines). Each member's next request
-- is the other one: PUT /v1/groups/{id}/members/me, then DELETE of the same, and so on.
dofile("tools/load/common.lua")
dofile("tools/load/lines.lua")
local inside = {}

function request()
  local item = next_line()
  local group, token = item[1], item[2]
  local path = "/v1/groups/" .. group .. "/members/me"
  local headers = {["Authorization"] = "Bearer " .. token}
  if inside[token] then
    inside[token] = false
    return wrk.format("DELETE", path, headers)
  end
  inside[token] = true
  return wrk.format("PUT", path, headers)
end
