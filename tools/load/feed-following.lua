-- wrk: GET /v1/feeds/following (first page, 20 posts) for members who follow many authors
-- (LINES_FILE: "token" lines; the setup makes one reader following 1,000 authors).
dofile("tools/load/common.lua")
dofile("tools/load/lines.lua")

function request()
  return wrk.format("GET", "/v1/feeds/following", {["Authorization"] = "Bearer " .. next_line()[1]})
end
