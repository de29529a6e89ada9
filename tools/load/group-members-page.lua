-- wrk: random pages of one large group's members (LINES_FILE: the "pages" file of
-- groups-setup.py, one line "group_id total_members"); PAGE_SIZE (default 20, at most 100).
dofile("tools/load/common.lua")
local page_size = tonumber(os.getenv("PAGE_SIZE") or "20")
local group, pages

function init(args)
  local line = io.lines(os.getenv("LINES_FILE"))()
  local fields = {}
  for field in line:gmatch("%S+") do table.insert(fields, field) end
  group = fields[1]
  pages = math.max(1, math.ceil(tonumber(fields[2]) / page_size))
  math.randomseed(os.time() + thread_slot())
end

function request()
  return wrk.format("GET", "/v1/groups/" .. group .. "/members?page=" .. math.random(1, pages) .. "&page_size=" .. page_size)
end
