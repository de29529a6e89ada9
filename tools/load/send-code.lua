-- wrk: POST /v1/verifications, every request to a new phone number (so none is rate
-- limited): +86 1[4-9]X XXXX XXXX, the second digit from the wrk thread, the rest
-- from a random start per run plus a counter, so runs against one server do not repeat.
dofile("tools/load/common.lua")
local counter = 0

function init(args)
  math.randomseed(os.time() * 100 + thread_slot())
  prefix = "+861" .. tostring(3 + thread_slot())
  counter = math.random(0, 800000000)
end

function request()
  counter = counter + 1
  return wrk.format("POST", "/v1/verifications", {["Content-Type"] = "application/json"},
    '{"channel":"sms","to":"' .. prefix .. string.format("%09d", counter) .. '","operation":"login"}')
end
