-- wrk: the baseline server's GET /v1/verifications/{key} (a small JSON answer, no storage).
dofile("tools/load/common.lua")
local counter = 0

function request()
  counter = counter + 1
  return wrk.format("GET", "/v1/verifications/k" .. counter)
end
