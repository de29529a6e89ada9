-- wrk: PUT /v1/feeds/{id}/like, then DELETE on the pair's next turn, so every request is a
-- real append (a repeated PUT appends nothing and would measure a read). LIKE_MODE=put
-- sends only PUTs. LINES_FILE: "post_id token" lines, one member each (lines.lua gives
-- each thread its own lines, so no two threads send for one member).
dofile("tools/load/common.lua")
dofile("tools/load/lines.lua")
local liked = {}
local only_put = os.getenv("LIKE_MODE") == "put"

function request()
  local item = next_line()
  local key = item[1] .. " " .. item[2]
  local method = (only_put or not liked[key]) and "PUT" or "DELETE"
  liked[key] = method == "PUT"
  return wrk.format(method, "/v1/feeds/" .. item[1] .. "/like", {["Authorization"] = "Bearer " .. item[2]})
end
