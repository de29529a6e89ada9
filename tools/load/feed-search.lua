-- wrk: GET /v1/feeds?q=...&limit=20 anonymously, cycling through the queries of QUERIES
-- (comma-separated, URL-encoded), or GET /v1/feeds/recommended?limit=20 when QUERIES is
-- "recommended".
dofile("tools/load/common.lua")

local queries = {}
for query in (os.getenv("QUERIES") or "karan"):gmatch("[^,]+") do table.insert(queries, query) end
local index = 0

function request()
  index = index + 1
  local query = queries[((index - 1) % #queries) + 1]
  if query == "recommended" then return wrk.format("GET", "/v1/feeds/recommended?limit=20") end
  return wrk.format("GET", "/v1/feeds?limit=20&q=" .. query)
end
