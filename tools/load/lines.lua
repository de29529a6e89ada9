-- Loaded by the load scripts that replay prepared lines (dofile, after common.lua):
-- LINES_FILE holds one item per line, fields separated by spaces; thread i of THREADS
-- takes every i-th line, so no two connections send the same item at once.
-- next_line() cycles through the thread's items.
local items = {}
local index = 0

function init(args)
  local threads = tonumber(os.getenv("THREADS") or "2")
  local line_number = 0
  for line in io.lines(os.getenv("LINES_FILE")) do
    line_number = line_number + 1
    if (line_number % threads) + 1 == thread_slot() then
      local fields = {}
      for field in line:gmatch("%S+") do table.insert(fields, field) end
      table.insert(items, fields)
    end
  end
  if #items == 0 then items = {{"none", "none", "none"}} end
end

function next_line()
  index = index + 1
  return items[((index - 1) % #items) + 1]
end
