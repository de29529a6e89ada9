-- wrk: POST /v1/members, a new member each time: username b<thread>_<run>_<n>
-- ([a-z0-9_], at most 32), a password that neither is nor contains the username, a unique
-- display name.
dofile("tools/load/common.lua")
local counter = 0

function init(args)
  math.randomseed(os.time() * 100 + thread_slot())
  run = thread_slot() .. "_" .. string.format("%08x", math.random(0, 2147483647))
end

function request()
  counter = counter + 1
  local name = "b" .. run .. "_" .. counter
  return wrk.format("POST", "/v1/members", {["Content-Type"] = "application/json"},
    '{"username":"' .. name .. '","password":"Correct-horse-battery-' .. counter .. '","display_name":"Bench ' .. name .. '"}')
end
