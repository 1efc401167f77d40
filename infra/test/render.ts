/**
 * A small renderer for the kustomize features infra/k8s uses, so a test can validate overlays
 * offline (no kustomize or kubectl binary on these machines). Supported: `resources` (files and
 * kustomization directories), `namespace`, `images`, and `patches` that are strategic-merge
 * patches naming their target by kind and name. Anything else in a kustomization throws, so a
 * manifest never relies on a feature this renderer would silently skip.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

interface ImageRule {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
}

interface PatchEntry {
  path?: string;
  patch?: string;
}

interface Kustomization {
  resources?: string[];
  namespace?: string;
  images?: ImageRule[];
  patches?: PatchEntry[];
}

const SUPPORTED_FIELDS = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'patches']);
const CLUSTER_SCOPED_KINDS = new Set([
  'Namespace',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PriorityClass',
  'StorageClass',
]);

/** Renders the kustomization in `dir` the way `kubectl kustomize dir` would (for the supported subset). */
export function render(dir: string): K8sObject[] {
  const kustomization = loadKustomization(dir);
  let objects = (kustomization.resources ?? []).flatMap((entry) => loadResource(dir, entry));
  assertUniqueIds(objects, dir);
  for (const entry of kustomization.patches ?? []) {
    objects = applyPatch(objects, readPatch(dir, entry));
  }
  const namespace = kustomization.namespace;
  if (namespace) {
    objects = objects.map((o) =>
      CLUSTER_SCOPED_KINDS.has(o.kind) ? o : { ...o, metadata: { ...o.metadata, namespace } },
    );
  }
  for (const rule of kustomization.images ?? []) {
    objects = objects.map((o) => retagImages(o, rule));
  }
  return objects;
}

/** Parses every document of a YAML stream as Kubernetes' YAML 1.1 reader would (`yes` is a boolean). */
export function parseYamlStream(text: string, source: string): unknown[] {
  return parseAllDocuments(text, { version: '1.1' }).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`${source}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value: unknown = doc.toJS();
    return value === null || value === undefined ? [] : [value];
  });
}

function loadKustomization(dir: string): Kustomization {
  const file = join(dir, 'kustomization.yaml');
  if (!existsSync(file)) throw new Error(`${dir}: no kustomization.yaml`);
  const [doc] = parseYamlStream(readFileSync(file, 'utf8'), file);
  if (!isPlainObject(doc)) throw new Error(`${file}: not a mapping`);
  const unsupported = Object.keys(doc).filter((key) => !SUPPORTED_FIELDS.has(key));
  if (unsupported.length > 0)
    throw new Error(`${file}: fields this renderer does not implement: ${unsupported.join(', ')}`);
  return doc as Kustomization;
}

function loadResource(dir: string, entry: string): K8sObject[] {
  if (/^[a-z]+:\/\//i.test(entry)) throw new Error(`${dir}: remote resource ${entry} is not supported`);
  const path = resolve(dir, entry);
  if (statSync(path).isDirectory()) return render(path);
  return parseYamlStream(readFileSync(path, 'utf8'), path).map((doc) => asObject(doc, path));
}

function readPatch(dir: string, entry: PatchEntry): K8sObject {
  const unsupported = Object.keys(entry).filter((key) => key !== 'path' && key !== 'patch');
  if (unsupported.length > 0)
    throw new Error(`${dir}: patch fields this renderer does not implement: ${unsupported.join(', ')}`);
  const source = entry.path ? resolve(dir, entry.path) : `${dir} (inline patch)`;
  const text = entry.path ? readFileSync(source, 'utf8') : (entry.patch ?? '');
  const docs = parseYamlStream(text, source);
  // kustomize's `patches` takes one patch per entry; several documents in one file fail there.
  if (docs.length !== 1) throw new Error(`${source}: a patch must hold exactly one document, found ${docs.length}`);
  return asObject(docs[0], source);
}

function applyPatch(objects: K8sObject[], patch: K8sObject): K8sObject[] {
  let matched = 0;
  const patched = objects.map((o) => {
    if (o.apiVersion !== patch.apiVersion || o.kind !== patch.kind || o.metadata.name !== patch.metadata.name) return o;
    matched++;
    return strategicMerge(o, patch) as K8sObject;
  });
  if (matched === 0)
    throw new Error(`patch target not found: ${patch.apiVersion} ${patch.kind} ${patch.metadata.name}`);
  return patched;
}

/**
 * Kubernetes' strategic merge for the fields manifests patch: maps merge key by key, `null`
 * deletes a key, lists of named things (containers, env, volumes, ports…) merge item by item on
 * their merge key, and every other list is replaced whole.
 */
export function strategicMerge(base: unknown, patch: unknown, field = ''): unknown {
  if (isPlainObject(base) && isPlainObject(patch)) {
    const merged: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch)) {
      if (key.startsWith('$')) throw new Error(`strategic merge directive ${key} is not supported`);
      if (value === null) delete merged[key];
      else merged[key] = key in base ? strategicMerge(base[key], value, key) : value;
    }
    return merged;
  }
  if (Array.isArray(base) && Array.isArray(patch)) {
    const key = mergeKey(field, [...base, ...patch]);
    if (!key) return patch;
    const merged = [...base];
    for (const item of patch) {
      const at = merged.findIndex(
        (existing) => isPlainObject(existing) && isPlainObject(item) && existing[key] === item[key],
      );
      if (at === -1) merged.push(item);
      else merged[at] = strategicMerge(merged[at], item);
    }
    return merged;
  }
  return patch;
}

/** The patchMergeKey Kubernetes declares for a list field, or undefined for lists replaced whole. */
function mergeKey(field: string, items: unknown[]): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'topologySpreadConstraints':
      return 'topologyKey';
    case 'ports':
      // Container ports merge on containerPort, Service ports on port.
      return items.some((item) => isPlainObject(item) && 'containerPort' in item) ? 'containerPort' : 'port';
    default:
      return undefined;
  }
}

/** kustomize's `images`: rewrites every container image whose name (without tag or digest) is `rule.name`. */
export function retagImages<T>(value: T, rule: ImageRule): T {
  if (Array.isArray(value)) return value.map((v: unknown) => retagImages(v, rule)) as T;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    if ((key === 'containers' || key === 'initContainers') && Array.isArray(child)) {
      out[key] = child.map((c: unknown) =>
        isPlainObject(c) && typeof c.image === 'string' ? { ...c, image: rewriteImage(c.image, rule) } : c,
      );
    } else {
      out[key] = retagImages(child, rule);
    }
  }
  return out as T;
}

function rewriteImage(image: string, rule: ImageRule): string {
  const ref = parseImage(image);
  if (ref.name !== rule.name) return image;
  const name = rule.newName ?? ref.name;
  if (rule.digest) return `${name}@${rule.digest}`;
  if (rule.newTag) return `${name}:${rule.newTag}`;
  const kept = image.slice(ref.name.length); // the original ":tag", "@digest" or both
  return name + kept;
}

/** Splits `registry:5000/repo/name:tag@sha256:…` into name, tag and digest. */
export function parseImage(image: string): { name: string; tag?: string; digest?: string } {
  const [withoutDigest = '', digest] = image.split('@', 2);
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  const name = colon === -1 ? withoutDigest : withoutDigest.slice(0, colon);
  const tag = colon === -1 ? undefined : withoutDigest.slice(colon + 1);
  return { name, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

function assertUniqueIds(objects: K8sObject[], dir: string): void {
  const seen = new Set<string>();
  for (const o of objects) {
    const id = `${o.apiVersion}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    if (seen.has(id)) throw new Error(`${dir}: ${id} is defined twice`);
    seen.add(id);
  }
}

function asObject(doc: unknown, source: string): K8sObject {
  if (!isPlainObject(doc) || typeof doc.apiVersion !== 'string' || typeof doc.kind !== 'string') {
    throw new Error(`${source}: every document needs apiVersion and kind`);
  }
  const metadata = doc.metadata;
  if (!isPlainObject(metadata) || typeof metadata.name !== 'string')
    throw new Error(`${source}: ${doc.kind} without metadata.name`);
  return doc as K8sObject;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
