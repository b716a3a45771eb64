-- wrk script: POST one OIP infer request of ROWS rows (env ROWS, default 1) of the Boston data's first row, the 12
-- columns the model reads (B, which the pipeline drops, left out: one unnamed [N, 13] tensor is refused 400 since
-- the input contract lists only the columns a model reads);
-- RATE (requests/s over all connections, env) adds a delay per request so wrk holds about that rate. wrk takes the
-- delay in whole milliseconds (it truncates a fraction), so a delay of d ms is dithered between floor(d) and
-- floor(d) + 1 with the mean d: without that, any RATE above 1000 * CONNS requests/s (16,000/s at 16 connections)
-- became a delay of 0, an unpaced run.
local rows = tonumber(os.getenv("ROWS") or "1")
local row = "0.00632,18,2.31,0,0.538,6.575,65.2,4.09,1,296,15.3,4.98"
local data = {}
for i = 1, rows do data[i] = row end
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
local token = os.getenv("TOKEN")
if token and token ~= "" then wrk.headers["Authorization"] = "Bearer " .. token end
wrk.body = '{"inputs":[{"name":"input-0","shape":[' .. rows .. ',12],"datatype":"FP64","data":[' .. table.concat(data, ",") .. ']}]}'
local rate = tonumber(os.getenv("RATE") or "0")
local conns = tonumber(os.getenv("CONNS") or "16")
local ms = rate > 0 and 1000 * conns / rate or 0
local whole = math.floor(ms)
local part = ms - whole
function delay()
  if ms <= 0 then return 0 end
  if math.random() < part then return whole + 1 end
  return whole
end
local non200 = 0
function response(status, headers, body)
  if status ~= 200 then non200 = non200 + 1 end
end
function done(summary, latency, requests)
  io.write(string.format("requests=%d errors_connect=%d read=%d write=%d status=%d timeout=%d p50_us=%d p90_us=%d p99_us=%d p999_us=%d\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9)))
end
