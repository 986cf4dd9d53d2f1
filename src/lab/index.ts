// The lab layer's public surface: describe a namespace lab, check it, plan
// it, draw it, and (with a backend) build, inspect, probe and remove it.
// Generic names get a lab prefix here, since the package exports them all.
export { Lab, type LabOptions, type UpReport, type DownOptions, type DownReport } from './lab.js';
export type { LabBackend, LabRecord, LabProcess, ExecOptions, ExecResult, SpawnOptions, Needs, NamespaceState, LinkState, RouteState } from './backend.js';
export { KernelBackend, type KernelBackendOptions } from './kernel/backend.js';
export {
  defineLab, type LabDescription, type NamespaceSpec, type BridgeSpec, type VethSpec, type VethEnd, type TapSpec, type LabVlanSpec, type LabLinkSpec, type RouteSpec,
  type DnsSpec, type PathExpectation as LabPathExpectation, type LabQdiscSpec, type NetemSpec, type TbfSpec, type HtbSpec, type HtbClassSpec, type FifoSpec, type SysctlValue,
} from './description.js';
export { validate as validateLab, assertValid as assertValidLab, type ValidationResult as LabValidationResult } from './validate.js';
export { loadLabFile, readLabFile } from './load.js';
export { hostPart as labHostPart, type HostSpec as LabHostSpec, type VxlanOptions as LabVxlanOptions, type HostPart as LabHostPart, type Tunnel as LabTunnel } from './hosts.js';
export { firewallDocument as labFirewallDocument, type FirewallSpec as LabFirewallSpec, type FirewallChainSpec as LabFirewallChainSpec, type FirewallAllow as LabFirewallAllow } from './firewall.js';
export { type Problem as LabProblem, problemText as labProblemText } from './shape.js';
export { LabBusyError, LabError, LabRecordError, LabRefusedError, LabUpError, LabValidationError } from './errors.js';
export { LabNames } from './names.js';
export {
  makePlan as planLab, teardown as labTeardown, type Plan as LabPlan, type Step as LabStep, type LabOp, type LinkAdd, type AddressAdd,
  type RouteAdd, type DnsFiles, type Owned as LabOwned,
} from './plan.js';
export { diffStatus as diffLabStatus, statusText as labStatusText, type LabStatus, type StatusItem as LabStatusItem, type StatusState as LabStatusState } from './status.js';
export { expectedMatrix as expectedReach, type ExpectedMatrix, type Expectation as ReachExpectation, type Target as ReachTarget } from './reach.js';
export {
  measureConnectivity, probeCommand, type ConnectivityMatrix, type ConnectivityOptions, type Cell as ConnectivityCell, type Protocol as ProbeProtocol,
} from './connectivity.js';
export type { ProbeOutcome, ProbeResult } from './probe.js';
export { formatMatrix as formatConnectivity, formatNamespaces } from './format.js';
export { toSvg as labSvg } from './graph-svg.js';
export { toDot as labDot, toMermaid as labMermaid, type GraphFormat as LabGraphFormat } from './graph.js';
// What the lab's public signatures name besides (test/unit/public-exports.test.ts).
export type { World as LabWorld } from './status.js';
export type { NsKey as LabNsKey } from './names.js';
export type { LinkOptions as LabLinkOptions } from './plan.js';
export type { LockOptions as LabLockOptions } from './kernel/lock.js';
export type { ProcessHooks as LabProcessHooks } from './cleanup.js';
export { planChanges as planLabChanges, changesText as labChangesText, type ChangePlan as LabChangePlan, type ObjectChange as LabObjectChange, type ApplyStep as LabApplyStep, type ChangeKind as LabChangeKind } from './changes.js';
export type { LabChanges, ApplyReport as LabApplyReport } from './apply.js';
export { checkLab, checkText as labCheckText, type CheckOptions as LabCheckOptions, type CheckReport as LabCheckReport, type CheckRow as LabCheckRow } from './check.js';
export { generateLab, graphLab as graphToLab, type GenerateOptions as LabGenerateOptions } from './generate/routing.js';
export { SHAPES as LAB_SHAPES, shapeGraph as labShapeGraph, linear as linearGraph, ring as ringGraph, star as starGraph, tree as treeGraph, fatTree as fatTreeGraph, fullMesh as fullMeshGraph, type Graph as LabGraph, type Shape as LabShape } from './generate/shapes.js';
