-- A citizen's whole submission for wrk, one connection per thread (wrk -tN -cN):
-- GET the reflection form, POST it with its CSRF token, hidden fields and session cookie,
-- GET the receipt it redirects to. benchmarks/submissions.py passes the typed fields
-- (URL-encoded) as the script's argument and reads the counts printed at the end.

local threads = {}
local next_id = 1

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local typed, state, cookie, hidden, location
local number = 0
completed = 0
failed = 0

function init(args)
  typed = args[1]
  state = "form"
end

local function field(body, name)
  return body:match('name="' .. name .. '"[^>]*value="([^"]*)"')
end

local function session_cookie(headers)
  local header = headers["Set-Cookie"] or headers["set-cookie"]
  return header and header:match("(session=[^;]+)")
end

function request()
  if state == "post" then
    number = number + 1
    local phone = string.format("09%08d", (id * 1000000 + number) % 100000000)
    return wrk.format("POST", "/gui-don/phan-anh", {
      ["Cookie"] = cookie,
      ["Content-Type"] = "application/x-www-form-urlencoded",
    }, hidden .. "&" .. typed .. "&phone=" .. phone)
  elseif state == "receipt" then
    return wrk.format("GET", location, { ["Cookie"] = cookie })
  end
  return wrk.format("GET", "/gui-don/phan-anh")
end

function response(status, headers, body)
  if state == "form" then
    cookie = session_cookie(headers)
    local names = { "csrf_token", "form_started", "idempotency_key", "upload_token" }
    local pairs_ = {}
    for _, name in ipairs(names) do
      table.insert(pairs_, name .. "=" .. (field(body, name) or ""))
    end
    hidden = table.concat(pairs_, "&")
    state = (status == 200 and cookie) and "post" or "form"
    if state == "form" then failed = failed + 1 end
  elseif state == "post" then
    location = headers["Location"] or headers["location"]
    cookie = session_cookie(headers) or cookie
    if status == 303 and location then
      state = "receipt"
    else
      failed = failed + 1
      state = "form"
    end
  else
    if status == 200 and body:find("access-code", 1, true) then
      completed = completed + 1
    else
      failed = failed + 1
    end
    state = "form"
  end
end

function done(summary, latency, requests)
  local total_completed, total_failed = 0, 0
  for _, thread in ipairs(threads) do
    total_completed = total_completed + thread:get("completed")
    total_failed = total_failed + thread:get("failed")
  end
  io.write(string.format("submissions completed: %d failed: %d\n", total_completed, total_failed))
end
