-- wrk: GET /v1/verifications/{key}, the verification domain's hottest read
-- (LINES_FILE: "key code" lines; keys repeat, reads are idempotent).
dofile("tools/load/common.lua")
dofile("tools/load/lines.lua")

function request()
  return wrk.format("GET", "/v1/verifications/" .. next_line()[1])
end
