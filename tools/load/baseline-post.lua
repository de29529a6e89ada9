-- wrk: the baseline server's POST /v1/verifications (the same body shape as send-code).
dofile("tools/load/common.lua")
local counter = 0

function request()
  counter = counter + 1
  return wrk.format("POST", "/v1/verifications", {["Content-Type"] = "application/json"},
    '{"channel":"sms","to":"+8613' .. string.format("%09d", counter) .. '","operation":"login"}')
end
