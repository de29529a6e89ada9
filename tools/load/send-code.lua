-- wrk: POST /v1/verifications, every request to a new phone number (so none is rate limited).
local counter = 0
local base = 0

local thread_counter = 0
function setup(thread)
  thread_counter = thread_counter + 1
  thread:set("base", tostring(thread_counter * 10000000))
end

function init(args)
  base = tonumber(wrk.thread:get("base"))
end

function request()
  counter = counter + 1
  local phone = string.format("+86139%08d", base + counter)
  return wrk.format("POST", "/v1/verifications", {["Content-Type"] = "application/json"},
    '{"channel":"sms","to":"' .. phone .. '","operation":"login"}')
end

function done(summary, latency, requests)
  io.write(string.format("p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000))
end
