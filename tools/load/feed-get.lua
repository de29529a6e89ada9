-- wrk: GET /v1/feeds/{id} anonymously, cycling through posts (each read counts a view in
-- memory; the views are flushed once a second). LINES_FILE: "post_id" lines.
dofile("tools/load/common.lua")
dofile("tools/load/lines.lua")

function request()
  return wrk.format("GET", "/v1/feeds/" .. next_line()[1])
end
