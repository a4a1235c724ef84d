-- wrk script for Scripts/load-test.sh: each request is POST /v1/translate with one sentence, taken in
-- turn from a file of ready-made JSON bodies (one per line), starting at the line given as the second
-- argument (each load level starts elsewhere in the file).
-- Non-200 replies are counted by wrk as "Non-2xx or 3xx responses".
local bodies = {}
local next_body = 1

function init(args)
  for line in io.lines(args[1]) do bodies[#bodies + 1] = line end
  next_body = (tonumber(args[2] or "0") or 0) % #bodies + 1
end

function request()
  local body = bodies[next_body]
  next_body = next_body % #bodies + 1
  return wrk.format("POST", "/v1/translate", { ["Content-Type"] = "application/json" }, body)
end
