-- Loaded by every load script (dofile). setup() numbers wrk's threads (thread_slot()
-- in a thread gives 1, 2, ...); done() prints one line "WRK_JSON {...}" with the
-- figures tools/bench keeps: requests, requests/s, non-2xx/3xx answers, socket errors
-- and latency percentiles in milliseconds (p99.9 included, which wrk's --latency
-- table lacks).
local thread_counter = 0

function setup(thread)
  thread_counter = thread_counter + 1
  thread:set("slot", tostring(thread_counter))
end

function thread_slot()
  return tonumber(wrk.thread:get("slot"))
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors
  local function ms(p) return latency:percentile(p) / 1000 end
  io.write(string.format(
    'WRK_JSON {"requests":%d,"seconds":%.3f,"requests_per_second":%.1f,"non_2xx":%d,"socket_errors":%d,'
      .. '"p50_ms":%.3f,"p75_ms":%.3f,"p90_ms":%.3f,"p99_ms":%.3f,"p99_9_ms":%.3f,"max_ms":%.3f}\n',
    summary.requests, seconds, summary.requests / seconds, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    ms(50), ms(75), ms(90), ms(99), ms(99.9), latency.max / 1000))
end
