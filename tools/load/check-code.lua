-- wrk: POST /v1/verifications/{key}/check with the right code, each key once.
-- CODES_FILE holds "key code" lines; thread i of n takes every n-th line.
local pairs_list = {}
local index = 0
local thread_counter = 0

function setup(thread)
  thread_counter = thread_counter + 1
  thread:set("slot", tostring(thread_counter))
end

function init(args)
  local slot = tonumber(wrk.thread:get("slot"))
  local threads = tonumber(os.getenv("THREADS") or "2")
  local line_number = 0
  for line in io.lines(os.getenv("CODES_FILE")) do
    line_number = line_number + 1
    if (line_number % threads) + 1 == slot then
      local key, code = line:match("(%S+) (%S+)")
      table.insert(pairs_list, {key, code})
    end
  end
end

function request()
  index = index + 1
  local pair = pairs_list[((index - 1) % #pairs_list) + 1]
  return wrk.format("POST", "/v1/verifications/" .. pair[1] .. "/check", {["Content-Type"] = "application/json"},
    '{"code":"' .. pair[2] .. '"}')
end

local shown = 0
function response(status, headers, body)
  if status ~= 200 and shown < 3 then
    shown = shown + 1
    io.stderr:write("check answered ", status, ": ", body, "\n")
  end
end

function done(summary, latency, requests)
  io.write(string.format("p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, latency:percentile(99.9) / 1000))
end
