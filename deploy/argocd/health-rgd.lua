-- Argo CD health of a kro.run/ResourceGraphDefinition (kro-ts or kro).
--   Healthy      Ready=True at the current generation (graph accepted, CRD ready, controller running)
--   Degraded     GraphAccepted, KindReady or ControllerReady False at the current generation: the
--                latest spec was rejected, its CRD update refused, or its kind cannot be watched
--                (instances keep being served by the last accepted graph)
--   Progressing  anything else: deleting, spec not yet observed, being built
local hs = {}
local meta = obj.metadata or {}
if meta.deletionTimestamp ~= nil then
  hs.status = "Progressing"
  hs.message = "Deleting"
  return hs
end
local st = obj.status
if st == nil or st.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the controller to report status"
  return hs
end
local generation = meta.generation
local function current(c)
  return generation == nil or c.observedGeneration == nil or c.observedGeneration == generation
end
local failing = { GraphAccepted = true, KindReady = true, ControllerReady = true }
local ready = nil
for _, c in ipairs(st.conditions) do
  if current(c) and failing[c.type] and c.status == "False" then
    hs.status = "Degraded"
    hs.message = c.type .. " " .. (c.reason or "False") .. ": " .. (c.message or "")
    return hs
  end
  if c.type == "Ready" then
    ready = c
  end
end
if ready ~= nil and current(ready) and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = "Active: serving its kind"
  return hs
end
hs.status = "Progressing"
if ready ~= nil and ready.message ~= nil and ready.message ~= "" then
  hs.message = ready.message
else
  hs.message = "Waiting for the ResourceGraphDefinition to become ready"
end
return hs
