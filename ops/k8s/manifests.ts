/**
 * Reads the deployment files offline: a kustomization's resources (following
 * directories that hold their own kustomization.yaml), the YAML documents of a
 * file, and a Kubernetes object's schema validation with kubernetes-models
 * (imported per kind). Used by manifests.test.ts; kustomize itself is not needed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, parse } from 'yaml';

export const OPS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const REPO_DIR = path.resolve(OPS_DIR, '..');

/** A Kubernetes object as read from YAML, with where it came from. */
export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Record<string, string> };
  readonly spec?: ManifestSpec;
  readonly data?: Record<string, string>;
  readonly file: string;
}

export interface Probe {
  readonly grpc?: { readonly port: number; readonly service?: string };
  readonly httpGet?: { readonly path: string; readonly port: number | string };
  readonly tcpSocket?: { readonly port: number | string };
}
export interface Container {
  readonly name: string;
  readonly image: string;
  readonly args?: string[];
  readonly envFrom?: { configMapRef?: { name: string } }[];
  readonly env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  readonly ports?: { name?: string; containerPort: number }[];
  readonly readinessProbe?: Probe;
  readonly livenessProbe?: Probe;
  readonly resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readonly securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    runAsNonRoot?: boolean;
  };
}
export interface PodSpec {
  readonly containers: Container[];
  readonly volumes?: {
    name: string;
    configMap?: { name: string };
    secret?: { secretName: string; optional?: boolean };
  }[];
  readonly securityContext?: { runAsNonRoot?: boolean; runAsUser?: number };
}
export interface ServicePort {
  readonly name?: string;
  readonly port: number;
  readonly targetPort?: number | string;
}
export interface NetworkPolicyPeer {
  readonly podSelector?: { matchLabels?: Record<string, string> };
  readonly namespaceSelector?: { matchLabels?: Record<string, string> };
}
export interface NetworkPolicyRule {
  readonly from?: NetworkPolicyPeer[];
  readonly ports?: { port: number | string; endPort?: number; protocol?: string }[];
}
/** The parts of the specs (workloads, Services, PDBs, NetworkPolicies) the checks read; the schemas check the rest. */
export interface ManifestSpec {
  readonly replicas?: number;
  readonly selector?: { matchLabels?: Record<string, string> } & Record<string, string>;
  readonly template?: { metadata?: { labels?: Record<string, string> }; spec: PodSpec };
  readonly type?: string;
  readonly clusterIP?: string;
  readonly ports?: ServicePort[];
  readonly podSelector?: {
    matchLabels?: Record<string, string>;
    matchExpressions?: { key: string; operator: string; values?: string[] }[];
  };
  readonly policyTypes?: string[];
  readonly ingress?: NetworkPolicyRule[];
  readonly minAvailable?: number | string;
  readonly maxUnavailable?: number | string;
}

export interface Kustomization {
  readonly resources?: string[];
  readonly patches?: { path?: string }[];
  readonly configMapGenerator?: { name: string; namespace?: string; behavior?: string; files?: string[] }[];
  readonly images?: { name: string; newName?: string; newTag?: string }[];
}

export function readYamlDocuments(file: string): unknown[] {
  const docs = parseAllDocuments(fs.readFileSync(file, 'utf8'));
  const out: unknown[] = [];
  for (const doc of docs) {
    if (doc.errors.length > 0) throw new Error(`${file}: ${doc.errors[0]!.message}`);
    const value: unknown = doc.toJS();
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

export function readYaml(file: string): unknown {
  return parse(fs.readFileSync(file, 'utf8'), { merge: true });
}

export function readKustomization(dir: string): Kustomization {
  return readYaml(path.join(dir, 'kustomization.yaml')) as Kustomization;
}

/** Every file a kustomization names (resources, patches, generator files), resolved, existing or not. */
export function referencedFiles(dir: string): string[] {
  const k = readKustomization(dir);
  const files: string[] = [];
  for (const r of k.resources ?? []) files.push(path.resolve(dir, r));
  for (const p of k.patches ?? []) if (p.path) files.push(path.resolve(dir, p.path));
  for (const g of k.configMapGenerator ?? [])
    for (const f of g.files ?? []) files.push(path.resolve(dir, f.includes('=') ? f.slice(f.indexOf('=') + 1) : f));
  return files;
}

/** The objects of a kustomization's resources (not its patches or generated ConfigMaps), depth first. */
export function loadResources(dir: string): Manifest[] {
  const out: Manifest[] = [];
  for (const r of readKustomization(dir).resources ?? []) {
    const target = path.resolve(dir, r);
    if (fs.statSync(target).isDirectory()) {
      out.push(...loadResources(target));
      continue;
    }
    for (const doc of readYamlDocuments(target))
      out.push({ ...(doc as Omit<Manifest, 'file'>), file: path.relative(REPO_DIR, target) });
  }
  return out;
}

type Validating = new (data: unknown) => { validate(): void };

/** The kubernetes-models module of a kind: `kubernetes-models/<group>/<version>/<Kind>` (core: `v1/<Kind>`). */
export function modelPath(apiVersion: string, kind: string): string {
  if (!/^([a-z0-9.-]+\/)?v\d+((alpha|beta)\d+)?$/.test(apiVersion) || !/^[A-Z][A-Za-z]+$/.test(kind)) {
    throw new Error(`not a Kubernetes apiVersion/kind: ${apiVersion} ${kind}`);
  }
  return `kubernetes-models/${apiVersion}/${kind}`;
}

/** Validates against the Kubernetes schema of its kind; throws naming the object and the failing field. */
export async function validateManifest(m: {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string };
}): Promise<void> {
  const mod = (await import(modelPath(m.apiVersion, m.kind))) as Record<string, Validating>;
  const Model = mod[m.kind];
  if (Model === undefined) throw new Error(`kubernetes-models has no ${m.kind} in ${m.apiVersion}`);
  const { file: _file, ...object } = m as Record<string, unknown>;
  try {
    new Model(object).validate();
  } catch (err) {
    throw new Error(`${m.kind} ${m.metadata?.name ?? '?'}: ${(err as Error).message}`);
  }
}

/** True when every label of the selector is on the object. */
export function selects(
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean {
  if (selector === undefined || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([k, v]) => labels?.[k] === v);
}
