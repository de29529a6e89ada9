-- wrk: POST /v1/feeds, text posts of 8-20 words drawn from a small vocabulary of Latin words
-- and common Chinese characters (so search has matches of every size), each thread cycling
-- through the author tokens of its lines. Stops after POSTS_PER_THREAD answers per thread.
-- LINES_FILE: "token" lines.
dofile("tools/load/common.lua")
dofile("tools/load/lines.lua")

local latin = {}
for _, a in ipairs({"ka", "lo", "mi", "ne", "ru", "sa", "to", "vi", "ze", "po"}) do
  for _, b in ipairs({"ran", "lin", "dor", "mek", "sul", "tav", "bir", "zon", "pex", "quo"}) do
    table.insert(latin, a .. b)
  end
end
local cjk = {"天", "气", "很", "好", "今", "日", "我", "们", "朋", "友", "学", "习", "工", "作", "城", "市",
  "山", "水", "花", "月", "春", "夏", "秋", "冬", "风", "雨", "雪", "光", "海", "云"}
local limit = tonumber(os.getenv("POSTS_PER_THREAD") or "0")
local answered = 0

local function content()
  local words = {}
  for _ = 1, math.random(8, 20) do
    if math.random() < 0.6 then
      table.insert(words, latin[math.random(#latin)])
    else
      table.insert(words, cjk[math.random(#cjk)] .. cjk[math.random(#cjk)] .. cjk[math.random(#cjk)])
    end
  end
  return table.concat(words, " ")
end

function request()
  local token = next_line()[1]
  return wrk.format("POST", "/v1/feeds",
    {["Content-Type"] = "application/json", ["Authorization"] = "Bearer " .. token},
    '{"type":"text","content":"' .. content() .. '"}')
end

function response(status, headers, body)
  answered = answered + 1
  if limit > 0 and answered >= limit then wrk.thread:stop() end
end
