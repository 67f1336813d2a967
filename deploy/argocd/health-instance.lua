-- Argo CD health of a kro-ts (or kro) instance: any kind generated from a ResourceGraphDefinition.
-- Reads only what the controller writes: metadata.generation, status.observedGeneration,
-- status.state and the conditions Ready, Stalled and Reconciling (kstatus's conventions).
--   Healthy      Ready=True at the current generation (without a Ready condition: state ACTIVE)
--   Degraded     Stalled=True (a failure a human must fix: refused apply, CEL error, rejected
--                graph), or state ERROR when no Stalled condition exists (kro)
--   Suspended    reconciliation suspended (kro.run/reconcile: suspended)
--   Progressing  anything else: deleting, spec not yet observed, waiting on readiness
local hs = {}
local meta = obj.metadata or {}
if meta.deletionTimestamp ~= nil then
  hs.status = "Progressing"
  hs.message = "Deleting: resources are removed in reverse dependency order"
  return hs
end
local st = obj.status
if st == nil or st.conditions == nil then
  hs.status = "Progressing"
  hs.message = "Waiting for the controller to report status"
  return hs
end
local generation = meta.generation
if generation ~= nil and st.observedGeneration ~= nil and st.observedGeneration ~= generation then
  hs.status = "Progressing"
  hs.message = "Generation " .. generation .. " not yet observed (status is for generation " .. st.observedGeneration .. ")"
  return hs
end
local conditions = {}
for _, c in ipairs(st.conditions) do
  if c.type ~= nil then
    conditions[c.type] = c
  end
end
-- A condition describes the current spec when it carries no observedGeneration or the current one.
local function current(c)
  return c ~= nil and (generation == nil or c.observedGeneration == nil or c.observedGeneration == generation)
end
local function text(c, fallback)
  if c ~= nil and c.message ~= nil and c.message ~= "" then
    return c.message
  end
  return fallback
end
local stalled = conditions["Stalled"]
if current(stalled) and stalled.status == "True" then
  hs.status = "Degraded"
  hs.message = (stalled.reason or "Stalled") .. ": " .. text(stalled, "a failure needs attention")
  return hs
end
local ready = conditions["Ready"]
if current(ready) and ready.status == "True" then
  hs.status = "Healthy"
  hs.message = "Ready: all resources are created and ready"
  return hs
end
if ready ~= nil and ready.reason == "ReconciliationSuspended" then
  hs.status = "Suspended"
  hs.message = text(ready, "reconciliation suspended")
  return hs
end
-- No Ready condition: the RGD declares its own conditions (they replace the built-in ones), so
-- kro's state field is what is left to read.
if ready == nil and st.state == "ACTIVE" then
  hs.status = "Healthy"
  hs.message = "state ACTIVE"
  return hs
end
if stalled == nil and (st.state == "ERROR" or st.state == "FAILED") then
  hs.status = "Degraded"
  hs.message = text(ready, "state " .. st.state)
  return hs
end
local reconciling = conditions["Reconciling"]
hs.status = "Progressing"
if current(reconciling) and reconciling.status == "True" then
  hs.message = (reconciling.reason or "Reconciling") .. ": " .. text(reconciling, "in progress")
else
  hs.message = text(ready, "Waiting for the instance to become ready")
end
return hs
