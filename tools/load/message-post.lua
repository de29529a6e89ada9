-- wrk: POST /v1/messages (direct text) as members writing to their peers
-- (LINES_FILE from ws-load.py --setup-only: "token peer_id" lines).
dofile("tools/load/common.lua")
dofile("tools/load/lines.lua")
local counter = 0

function request()
  local item = next_line()
  counter = counter + 1
  return wrk.format("POST", "/v1/messages",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. item[1]},
    '{"to_member_id":"' .. item[2] .. '","body":{"type":"text","content":"load ' .. counter .. '"}}')
end
