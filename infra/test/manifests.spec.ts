import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  API_CONFIG_VARIABLES,
  DISPATCHER_CONFIG_VARIABLES,
  loadApiConfig,
  loadDispatcherConfig,
} from '@inbox/server';
import { startTelemetry } from '@inbox/server/telemetry';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { Job } from 'kubernetes-models/batch/v1/Job';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { parse as parseYaml } from 'yaml';
import { findKubectl, kustomize, parseImage, render, renderWithKubectl, type K8sObject } from './render.js';

const INFRA = join(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = join(INFRA, '..');
const read = (path: string) => readFileSync(join(INFRA, path), 'utf8');

/** Every kind the manifests may use, with the model that validates it (anything else fails). */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'batch/v1/Job': Job,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};
/** Custom resources (no model in kubernetes-models): checked by hand in their own tests below. */
const CUSTOM_KINDS = new Set([
  'monitoring.coreos.com/v1/PodMonitor',
  'keda.sh/v1alpha1/ScaledObject',
]);

/** The Secret operators create by hand (README.md), and the keys it must hold. */
const SECRET_NAME = 'inbox-secrets';
const SECRET_KEYS = ['DATABASE_URL', 'REDIS_URL', 'INBOX_INTERNAL_TOKEN', 'INBOX_SECRET_KEY'];
/** Values with the right shape for the Secret's keys, to check the ConfigMap together with them. */
const SAMPLE_SECRETS: Record<string, string> = {
  DATABASE_URL: 'postgres://inbox:pw@pgbouncer:6432/inbox',
  REDIS_URL: 'redis://redis:6379/0',
  INBOX_INTERNAL_TOKEN: 'a-long-enough-internal-token',
  INBOX_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
};

/** The variables either app reads (packages/server/src/config.ts). */
const CONFIG_VARIABLES = new Set([...API_CONFIG_VARIABLES, ...DISPATCHER_CONFIG_VARIABLES]);
/** OpenTelemetry's standard variables, which the SDK reads itself (packages/server/src/telemetry.ts). */
const OTEL_VARIABLES = new Set([
  'OTEL_EXPORTER_OTLP_ENDPOINT',
  'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  'OTEL_EXPORTER_OTLP_PROTOCOL',
  'OTEL_TRACES_SAMPLER',
  'OTEL_TRACES_SAMPLER_ARG',
  'OTEL_RESOURCE_ATTRIBUTES',
  'OTEL_SERVICE_NAME',
]);

// Typed views of the fields the rules read (the models validate the rest).
interface Probe {
  httpGet?: { path?: string; port?: number | string };
}
interface Container {
  name: string;
  image?: string;
  command?: string[];
  ports?: { name?: string; containerPort: number }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  env?: {
    name: string;
    value?: string;
    valueFrom?: {
      configMapKeyRef?: { name: string; key: string };
      secretKeyRef?: { name: string; key: string; optional?: boolean };
    };
  }[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  lifecycle?: { preStop?: { exec?: { command?: string[] } } };
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    runAsNonRoot?: boolean;
    capabilities?: { drop?: string[] };
  };
}
interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec: {
    containers: Container[];
    initContainers?: Container[];
    terminationGracePeriodSeconds?: number;
    restartPolicy?: string;
    securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type?: string } };
    topologySpreadConstraints?: {
      maxSkew: number;
      topologyKey: string;
      whenUnsatisfiable: string;
      labelSelector?: { matchLabels?: Record<string, string> };
    }[];
    volumes?: { name: string; emptyDir?: { sizeLimit?: string } }[];
  };
}
interface Workload extends K8sObject {
  spec: {
    replicas?: number;
    selector?: { matchLabels?: Record<string, string> };
    strategy?: { type?: string; rollingUpdate?: { maxUnavailable?: number | string } };
    template: PodTemplate;
  };
}
interface Hpa extends K8sObject {
  spec: {
    scaleTargetRef: { apiVersion?: string; kind: string; name: string };
    minReplicas?: number;
    maxReplicas: number;
  };
}
interface Selecting extends K8sObject {
  spec: {
    selector?: { matchLabels?: Record<string, string> } | Record<string, string>;
    ports?: { port: number; targetPort?: number | string }[];
  };
}

/** kubectl when it is on PATH (the real kustomize), else render.ts; either way every object is validated. */
const KUBECTL = findKubectl();
const RENDERER = KUBECTL ? 'kubectl kustomize' : 'render.ts (kubectl is not on PATH)';
const overlayDir = (name: string) => join(INFRA, 'k8s/overlays', name);
const overlays = ['dev', 'production'] as const;
const rendered = Object.fromEntries(overlays.map((name) => [name, kustomize(overlayDir(name), KUBECTL).objects]));

/** A scratch kustomization (in the OS temp dir) built on infra/k8s: `lines` name its resources by paths under k8s/. */
function scratchKustomization(write: (dir: string, k8s: string) => void): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'inbox-k8s-'));
  // kustomize refuses absolute paths in `resources` and `components`: relative to the scratch dir.
  write(dir, relative(dir, join(INFRA, 'k8s')));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function find<T extends K8sObject>(objects: K8sObject[], kind: string, name: string): T {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`${kind} ${name} is missing`);
  return found as T;
}
const workloads = (objects: K8sObject[]) =>
  objects.filter((o): o is Workload => o.kind === 'Deployment' || o.kind === 'Job');
const containersOf = (w: Workload) => [
  ...w.spec.template.spec.containers,
  ...(w.spec.template.spec.initContainers ?? []),
];
const selects = (selector: Record<string, string>, labels: Record<string, string> = {}) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);
const seconds = (ms: number) => ms / 1000;

/** The generated ConfigMap: `inbox-config-<hash of its data>`, the only one. */
function configMap(objects: K8sObject[]): K8sObject & { data: Record<string, string> } {
  const found = objects.filter((o) => o.kind === 'ConfigMap');
  expect(found.map((o) => o.metadata.name)).toEqual([expect.stringMatching(/^inbox-config-[a-z0-9]{10}$/)]);
  return found[0] as K8sObject & { data: Record<string, string> };
}
const configMapData = (objects: K8sObject[]) => configMap(objects).data;
const appContainer = (objects: K8sObject[], name: string) =>
  find<Workload>(objects, 'Deployment', name).spec.template.spec.containers[0]!;

/** The environment a container gets from the ConfigMap and the Secret (holding SAMPLE_SECRETS). */
function containerEnv(objects: K8sObject[], container: Container): Record<string, string | undefined> {
  const data = configMapData(objects);
  const env: Record<string, string | undefined> = {};
  for (const ref of container.envFrom ?? []) Object.assign(env, ref.configMapRef ? data : SAMPLE_SECRETS);
  for (const e of container.env ?? []) {
    const { configMapKeyRef, secretKeyRef } = e.valueFrom ?? {};
    if (configMapKeyRef) env[e.name] = data[configMapKeyRef.key];
    else if (secretKeyRef) env[e.name] = SAMPLE_SECRETS[secretKeyRef.key];
    else env[e.name] = e.value;
  }
  return env;
}

/** Each app's config from what its Deployment gives it, as the app will parse it. */
const apiConfig = (objects: K8sObject[]) => loadApiConfig(containerEnv(objects, appContainer(objects, 'inbox-api')));
const dispatcherConfig = (objects: K8sObject[]) =>
  loadDispatcherConfig(containerEnv(objects, appContainer(objects, 'inbox-dispatcher')));

/** The port a probe or Service names, resolved to the container's port number. */
function portNumber(container: Container, port: number | string | undefined): number | undefined {
  if (typeof port === 'number') return port;
  return container.ports?.find((p) => p.name === port)?.containerPort;
}

describe('config.ts variables', () => {
  it('lists the variables the apps read, so the checks below are not vacuous', () => {
    for (const name of [...SECRET_KEYS, 'PORT', 'DISPATCHER_PORT', 'INBOX_SHUTDOWN_TIMEOUT', 'INBOX_ALLOW_HTTP']) {
      expect(CONFIG_VARIABLES).toContain(name);
    }
  });
});

describe.each(overlays)('k8s overlay %s', (overlay) => {
  const objects = rendered[overlay]!;
  const namespace = overlay === 'production' ? 'inbox' : 'inbox-dev';

  it(`renders the full set of objects (with ${RENDERER})`, () => {
    expect(
      objects
        .map((o) => `${o.kind}/${o.metadata.name}`.replace(/^(ConfigMap\/inbox-config)-[a-z0-9]{10}$/, '$1-<hash>'))
        .sort(),
    ).toEqual(
      [
        'ConfigMap/inbox-config-<hash>',
        'Deployment/inbox-api',
        'Deployment/inbox-dispatcher',
        'HorizontalPodAutoscaler/inbox-api',
        'HorizontalPodAutoscaler/inbox-dispatcher',
        'Job/inbox-migrate',
        'NetworkPolicy/inbox-api',
        'NetworkPolicy/inbox-default-deny',
        'NetworkPolicy/inbox-dispatcher',
        'NetworkPolicy/inbox-migrate',
        'PodDisruptionBudget/inbox-api',
        'PodDisruptionBudget/inbox-dispatcher',
        'PodDisruptionBudget/inbox-migrate',
        'PodMonitor/inbox-webhooks',
        'Service/inbox-api',
        'Service/inbox-api-internal',
      ].sort(),
    );
  });

  it.each(rendered[overlay]!.map((o) => [`${o.kind}/${o.metadata.name}`, o] as const))(
    '%s is a valid Kubernetes object',
    (_, object) => {
      const type = `${object.apiVersion}/${object.kind}`;
      if (CUSTOM_KINDS.has(type)) return; // no schema offline: the PodMonitor and KEDA tests check these
      const Model = MODELS[type];
      if (!Model) throw new Error(`unknown apiVersion/kind ${type}: add its model to MODELS`);
      expect(() => new Model(object as never).validate()).not.toThrow();
    },
  );

  it('labels every object and places it in the overlay namespace', () => {
    for (const o of objects) {
      expect(o.metadata.namespace).toBe(namespace);
      expect(o.metadata.labels?.['app.kubernetes.io/part-of']).toBe('inbox-webhooks');
      expect(o.metadata.labels?.['app.kubernetes.io/name']).toEqual(expect.stringMatching(/^inbox-/));
    }
    for (const w of workloads(objects)) {
      expect(w.spec.template.metadata?.labels).toMatchObject({
        'app.kubernetes.io/name': w.metadata.labels?.['app.kubernetes.io/name'],
        'app.kubernetes.io/part-of': 'inbox-webhooks',
      });
    }
  });

  it('pins every image to a version tag from the overlay (never latest, never untagged)', () => {
    for (const container of workloads(objects).flatMap(containersOf)) {
      const image = parseImage(container.image ?? '');
      expect(image.name).toMatch(/^[^/]+\/.+\/(api|dispatcher)$/); // a registry path from the overlay, not the bare base name
      expect(image.digest ?? image.tag).toBeTruthy();
      expect(image.tag).not.toBe('latest');
    }
  });

  it("gives every container (the Job's too) requests and limits, uid 1000, seccomp, a read-only root with an emptyDir /tmp, no capabilities", () => {
    expect(
      workloads(objects)
        .map((w) => w.metadata.name)
        .sort(),
    ).toEqual(['inbox-api', 'inbox-dispatcher', 'inbox-migrate']);
    for (const w of workloads(objects)) {
      const pod = w.spec.template.spec;
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 1000, // the images' USER 1000:1000
        seccompProfile: { type: 'RuntimeDefault' },
      });
      for (const c of containersOf(w)) {
        expect(c.resources?.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
        expect(c.resources?.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
        expect(c.securityContext).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        const tmp = c.volumeMounts?.find((m) => m.mountPath === '/tmp');
        expect(tmp?.readOnly).not.toBe(true);
        expect(pod.volumes?.find((v) => v.name === tmp?.name)?.emptyDir).toEqual({ sizeLimit: expect.any(String) });
      }
    }
  });

  it('spreads every Deployment over zones and then nodes, counting only its own pods', () => {
    for (const d of workloads(objects).filter((w) => w.kind === 'Deployment')) {
      const constraints = d.spec.template.spec.topologySpreadConstraints ?? [];
      expect(constraints.map((c) => c.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
      for (const c of constraints) {
        expect(c).toMatchObject({ maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' });
        const selected = workloads(objects).filter((w) =>
          selects(c.labelSelector?.matchLabels ?? {}, w.spec.template.metadata?.labels),
        );
        expect(selected.map((w) => w.metadata.name)).toEqual([d.metadata.name]);
      }
    }
  });

  it('reads environment only from the ConfigMap it ships and the documented Secret', () => {
    const configMaps = new Set(objects.filter((o) => o.kind === 'ConfigMap').map((o) => o.metadata.name));
    const configMapRef = { configMapRef: { name: configMap(objects).metadata.name } };
    for (const c of workloads(objects).flatMap(containersOf)) {
      expect([[configMapRef], [configMapRef, { secretRef: { name: SECRET_NAME } }]]).toContainEqual(c.envFrom);
      for (const ref of c.envFrom ?? []) if (ref.configMapRef) expect(configMaps).toContain(ref.configMapRef.name);
      for (const e of c.env ?? []) {
        if (e.valueFrom?.configMapKeyRef) expect(configMaps).toContain(e.valueFrom.configMapKeyRef.name);
        if (e.valueFrom?.secretKeyRef) expect(e.valueFrom.secretKeyRef.name).toBe(SECRET_NAME);
      }
    }
  });

  it('gives each app exactly the Secret keys it reads (the dispatcher never sees INBOX_INTERNAL_TOKEN)', () => {
    for (const [name, variables] of [
      ['inbox-api', API_CONFIG_VARIABLES],
      ['inbox-dispatcher', DISPATCHER_CONFIG_VARIABLES],
    ] as const) {
      const env = containerEnv(objects, appContainer(objects, name));
      expect(SECRET_KEYS.filter((key) => env[key] !== undefined)).toEqual(
        SECRET_KEYS.filter((key) => variables.includes(key)),
      );
    }
    expect(DISPATCHER_CONFIG_VARIABLES).not.toContain('INBOX_INTERNAL_TOKEN');
  });

  it('lets both apps read INBOX_SECRET_KEYS_PREVIOUS from the Secret while a key rotates, and start without it', () => {
    for (const [name, variables] of [
      ['inbox-api', API_CONFIG_VARIABLES],
      ['inbox-dispatcher', DISPATCHER_CONFIG_VARIABLES],
    ] as const) {
      expect(variables).toContain('INBOX_SECRET_KEYS_PREVIOUS');
      const container = appContainer(objects, name);
      const wholeSecret = (container.envFrom ?? []).some((ref) => ref.secretRef?.name === SECRET_NAME);
      const ref = container.env?.find((e) => e.name === 'INBOX_SECRET_KEYS_PREVIOUS')?.valueFrom?.secretKeyRef;
      expect(wholeSecret || (ref?.key === 'INBOX_SECRET_KEYS_PREVIOUS' && ref.optional === true)).toBe(true);
    }
  });

  it('ConfigMap: only variables config.ts or OpenTelemetry read, no secrets, values the apps accept, https-only public endpoints', () => {
    const data = configMapData(objects);
    for (const key of Object.keys(data)) expect([...CONFIG_VARIABLES, ...OTEL_VARIABLES]).toContain(key);
    for (const key of SECRET_KEYS) expect(data).not.toHaveProperty(key);
    const [api, dispatcher] = [apiConfig(objects), dispatcherConfig(objects)];
    expect(api).toMatchObject({
      allowHttp: false,
      allowPrivateUrls: false,
      env: 'production',
      port: 3000,
      internalPort: 8081,
    });
    expect(dispatcher).toMatchObject({ allowPrivateUrls: false, env: 'production', dispatcherPort: 3001 });
    // Redis Cluster keeps multi-key operations in one slot only when keys share a {hash tag}.
    for (const config of [api, dispatcher]) expect(config.queuePrefix).toMatch(/^\{[^}]+\}$/);
  });

  it('api: probes /health/ready and /health/live on PORT, never drops a replica in a rollout, drains before SIGKILL, is scraped on METRICS_PORT', () => {
    const config = apiConfig(objects);
    const api = find<Workload>(objects, 'Deployment', 'inbox-api');
    const [container] = api.spec.template.spec.containers;
    expect(container).toBeDefined();
    expect(container!.readinessProbe?.httpGet?.path).toBe('/health/ready');
    expect(container!.livenessProbe?.httpGet?.path).toBe('/health/live');
    expect(portNumber(container!, container!.readinessProbe?.httpGet?.port)).toBe(config.port);
    expect(portNumber(container!, container!.livenessProbe?.httpGet?.port)).toBe(config.port);
    expect(api.spec.strategy).toEqual({
      type: 'RollingUpdate',
      rollingUpdate: expect.objectContaining({ maxUnavailable: 0 }),
    });
    const preStop = Number(container!.lifecycle?.preStop?.exec?.command?.[1] ?? 0);
    expect(api.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(
      preStop + seconds(config.shutdownTimeoutMs),
    );
    expect(api.spec.template.metadata?.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(config.metricsPort),
      'prometheus.io/path': '/metrics',
    });
    expect(portNumber(container!, 'metrics')).toBe(config.metricsPort);
    expect(portNumber(container!, 'internal')).toBe(config.internalPort);
  });

  it('tracing: each app names its own service; the shared ConfigMap leaves tracing off until an endpoint is set', async () => {
    const data = configMapData(objects);
    expect(data).not.toHaveProperty('OTEL_SERVICE_NAME');
    // Empty counts as unset: an overlay that blanks the endpoint must not start the SDK either.
    expect(data.OTEL_EXPORTER_OTLP_ENDPOINT ?? '').toBe('');
    const names = ['inbox-api', 'inbox-dispatcher'].map(
      (name) => containerEnv(objects, appContainer(objects, name)).OTEL_SERVICE_NAME,
    );
    expect(names).toEqual(['inbox-api', 'inbox-dispatcher']);
    for (const name of ['inbox-api', 'inbox-dispatcher']) {
      const env = containerEnv(objects, appContainer(objects, name));
      await expect(startTelemetry(name, { ...env, OTEL_EXPORTER_OTLP_ENDPOINT: '' })).resolves.toBe(false);
    }
  });

  it('dispatcher: probes on DISPATCHER_PORT, drains before SIGKILL, is scraped on METRICS_PORT', () => {
    const config = dispatcherConfig(objects);
    const dispatcher = find<Workload>(objects, 'Deployment', 'inbox-dispatcher');
    const [container] = dispatcher.spec.template.spec.containers;
    expect(container).toBeDefined();
    expect(container!.readinessProbe?.httpGet?.path).toBe('/health/ready');
    expect(container!.livenessProbe?.httpGet?.path).toBe('/health/live');
    expect(portNumber(container!, container!.readinessProbe?.httpGet?.port)).toBe(config.dispatcherPort);
    expect(portNumber(container!, container!.livenessProbe?.httpGet?.port)).toBe(config.dispatcherPort);
    expect(dispatcher.spec.strategy?.rollingUpdate?.maxUnavailable).toBe(0);
    expect(dispatcher.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(
      seconds(config.shutdownTimeoutMs),
    );
    expect(dispatcher.spec.template.metadata?.annotations).toMatchObject({
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(config.metricsPort),
      'prometheus.io/path': '/metrics',
    });
    expect(portNumber(container!, 'metrics')).toBe(config.metricsPort);
  });

  it('every Deployment selects its own pods', () => {
    for (const d of workloads(objects).filter((w) => w.kind === 'Deployment')) {
      expect(selects(d.spec.selector?.matchLabels ?? {}, d.spec.template.metadata?.labels)).toBe(true);
    }
  });

  it('the public Service targets only PORT, inbox-api-internal only INTERNAL_PORT, and no Service the metrics port', () => {
    const config = apiConfig(objects);
    for (const [name, port] of [
      ['inbox-api', config.port],
      ['inbox-api-internal', config.internalPort],
    ] as const) {
      const service = find<Selecting & { spec: { type?: string } }>(objects, 'Service', name);
      expect(service.spec.type).toBe('ClusterIP');
      const selector = service.spec.selector as Record<string, string>;
      const selected = workloads(objects).filter((w) => selects(selector, w.spec.template.metadata?.labels));
      expect(selected.map((w) => w.metadata.name)).toEqual(['inbox-api']);
      const apiContainer = selected[0]!.spec.template.spec.containers[0]!;
      expect((service.spec.ports ?? []).map((p) => portNumber(apiContainer, p.targetPort))).toEqual([port]);
    }
    expect(objects.filter((o) => o.kind === 'Service')).toHaveLength(2);
  });

  describe('NetworkPolicies', () => {
    interface Peer {
      podSelector?: { matchLabels?: Record<string, string> };
      namespaceSelector?: { matchLabels?: Record<string, string> };
      ipBlock?: { cidr: string; except?: string[] };
    }
    interface Rule {
      from?: Peer[];
      to?: Peer[];
      ports?: { port?: number | string; protocol?: string }[];
    }
    interface Policy extends K8sObject {
      spec: {
        podSelector: { matchLabels?: Record<string, string> };
        policyTypes?: string[];
        ingress?: Rule[];
        egress?: Rule[];
      };
    }
    const policies = objects.filter((o): o is Policy => o.kind === 'NetworkPolicy');
    const policyFor = (name: string) => {
      const labels = find<Workload>(objects, name === 'inbox-migrate' ? 'Job' : 'Deployment', name).spec.template
        .metadata?.labels;
      const found = policies.filter(
        (p) =>
          Object.keys(p.spec.podSelector.matchLabels ?? {}).length > 0 &&
          selects(p.spec.podSelector.matchLabels ?? {}, labels),
      );
      expect(found).toHaveLength(1);
      return found[0]!;
    };
    /** Each rule as "port/protocol <- peers" strings, named ports resolved to numbers. */
    const describeRules = (rules: Rule[] = [], container?: Container) =>
      rules.flatMap((rule) =>
        (rule.ports ?? [{}]).map((p) => {
          const port = typeof p.port === 'string' && container ? portNumber(container, p.port) : p.port;
          const peers = (rule.from ?? rule.to ?? []).map(describePeer).sort().join(' | ') || 'anywhere';
          return `${port ?? 'any'}/${p.protocol ?? 'TCP'} ${peers}`;
        }),
      );
    const describePeer = (peer: Peer) =>
      peer.ipBlock
        ? `${peer.ipBlock.cidr} except ${(peer.ipBlock.except ?? []).join(',')}`
        : [
            peer.namespaceSelector && `ns(${JSON.stringify(peer.namespaceSelector.matchLabels ?? {})})`,
            peer.podSelector && `pods(${JSON.stringify(peer.podSelector.matchLabels ?? {})})`,
          ]
            .filter(Boolean)
            .join('&');
    const DNS = `ns({"kubernetes.io/metadata.name":"kube-system"})&pods({"k8s-app":"kube-dns"})`;
    const MONITORING = `ns({"kubernetes.io/metadata.name":"monitoring"})`;
    const dnsRules = [`53/UDP ${DNS}`, `53/TCP ${DNS}`];
    const dataStores = ['5432/TCP anywhere', '6432/TCP anywhere', '6379/TCP anywhere', '26379/TCP anywhere'];

    it('deny everything to and from every pod of the namespace by default', () => {
      const deny = find<Policy>(objects, 'NetworkPolicy', 'inbox-default-deny');
      expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    });

    it('api: public port from anywhere, internal port from the namespace (and opted-in ones), metrics from monitoring', () => {
      const config = apiConfig(objects);
      const policy = policyFor('inbox-api');
      const container = appContainer(objects, 'inbox-api');
      expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(describeRules(policy.spec.ingress, container)).toEqual([
        `${config.port}/TCP anywhere`,
        `${config.internalPort}/TCP ns({"inbox-webhooks/internal-api":"allowed"}) | pods({})`,
        `${config.metricsPort}/TCP ${MONITORING}`,
      ]);
    });

    it('api: egress only to DNS, Postgres, Redis (and Sentinel) and the OTLP collector in monitoring', () => {
      expect(describeRules(policyFor('inbox-api').spec.egress)).toEqual([
        ...dnsRules,
        ...dataStores,
        `4318/TCP ${MONITORING}`,
      ]);
    });

    it('dispatcher: in only for metrics; out to public addresses on any port, DNS, Postgres, Redis and the collector', () => {
      const config = dispatcherConfig(objects);
      const policy = policyFor('inbox-dispatcher');
      expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(describeRules(policy.spec.ingress, appContainer(objects, 'inbox-dispatcher'))).toEqual([
        `${config.metricsPort}/TCP ${MONITORING}`,
      ]);
      const [webhooks, ...rest] = describeRules(policy.spec.egress);
      expect(webhooks).toBe(
        'any/TCP 0.0.0.0/0 except 10.0.0.0/8,172.16.0.0/12,192.168.0.0/16,100.64.0.0/10,169.254.0.0/16,127.0.0.0/8 | ::/0 except fc00::/7,fe80::/10,::1/128',
      );
      expect(policy.spec.egress?.[0]?.ports).toBeUndefined(); // webhooks may use any port
      expect(rest).toEqual([...dnsRules, ...dataStores, `4318/TCP ${MONITORING}`]);
    });

    it('migration Job: nothing in, out only to DNS and Postgres', () => {
      const policy = policyFor('inbox-migrate');
      expect(policy.spec.policyTypes).toEqual(['Ingress', 'Egress']);
      expect(policy.spec.ingress ?? []).toEqual([]);
      expect(describeRules(policy.spec.egress)).toEqual([...dnsRules, '5432/TCP anywhere', '6432/TCP anywhere']);
    });

    it('name only ports the selected containers declare', () => {
      for (const name of ['inbox-api', 'inbox-dispatcher']) {
        const container = appContainer(objects, name);
        for (const rule of policyFor(name).spec.ingress ?? []) {
          for (const p of rule.ports ?? [])
            if (typeof p.port === 'string') expect(portNumber(container, p.port)).toBeDefined();
        }
      }
    });
  });

  it('the PodMonitor scrapes /metrics on the `metrics` port of both apps (and nothing else)', () => {
    interface PodMonitor extends K8sObject {
      spec: {
        selector: {
          matchLabels?: Record<string, string>;
          matchExpressions?: { key: string; operator: string; values: string[] }[];
        };
        podMetricsEndpoints: { port?: string; path?: string; interval?: string }[];
      };
    }
    const monitor = find<PodMonitor>(objects, 'PodMonitor', 'inbox-webhooks');
    expect(monitor.apiVersion).toBe('monitoring.coreos.com/v1');
    const { matchLabels = {}, matchExpressions = [] } = monitor.spec.selector;
    for (const e of matchExpressions) expect(e.operator).toBe('In'); // the only operator this check evaluates
    const matches = (labels: Record<string, string> = {}) =>
      Object.entries(matchLabels).every(([k, v]) => labels[k] === v) &&
      matchExpressions.every((e) => e.values.includes(labels[e.key] ?? ''));
    const selected = workloads(objects).filter((w) => matches(w.spec.template.metadata?.labels));
    expect(selected.map((w) => w.metadata.name).sort()).toEqual(['inbox-api', 'inbox-dispatcher']);
    expect(monitor.spec.podMetricsEndpoints).toEqual([
      { port: 'metrics', path: '/metrics', interval: expect.stringMatching(/^\d+s$/) },
    ]);
    for (const w of selected) {
      const config = w.metadata.name === 'inbox-api' ? apiConfig(objects) : dispatcherConfig(objects);
      expect(portNumber(w.spec.template.spec.containers[0]!, 'metrics')).toBe(config.metricsPort);
    }
  });

  it('each HPA scales an existing Deployment, whose replica count lies within its bounds', () => {
    const hpas = objects.filter((o): o is Hpa => o.kind === 'HorizontalPodAutoscaler');
    expect(hpas).toHaveLength(2);
    for (const hpa of hpas) {
      const target = find<Workload>(objects, hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name);
      expect(target.kind).toBe('Deployment');
      expect(hpa.spec.scaleTargetRef.apiVersion).toBe(target.apiVersion);
      expect(hpa.spec.minReplicas).toBeLessThanOrEqual(target.spec.replicas!);
      expect(target.spec.replicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
    }
  });

  it('one PodDisruptionBudget per workload: one app pod evicted at a time, a running migration never', () => {
    const pdbs = objects.filter(
      (o): o is Selecting & { spec: { maxUnavailable?: number } } => o.kind === 'PodDisruptionBudget',
    );
    for (const w of workloads(objects)) {
      const covering = pdbs.filter((pdb) =>
        selects(
          (pdb.spec.selector as { matchLabels?: Record<string, string> }).matchLabels ?? {},
          w.spec.template.metadata?.labels,
        ),
      );
      expect(covering).toHaveLength(1);
      expect(covering[0]!.spec.maxUnavailable).toBe(w.kind === 'Job' ? 0 : 1);
    }
    expect(pdbs).toHaveLength(workloads(objects).length);
  });

  it('the migration Job runs the migrate script from the api image, once', () => {
    const job = find<Workload>(objects, 'Job', 'inbox-migrate');
    const api = find<Workload>(objects, 'Deployment', 'inbox-api');
    const [container] = job.spec.template.spec.containers;
    expect(container?.command).toEqual(['node', 'migrate.mjs']);
    expect(container?.image).toBe(api.spec.template.spec.containers[0]?.image);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    // The apps themselves never migrate: their containers keep the image's default command.
    for (const d of workloads(objects).filter((w) => w.kind === 'Deployment')) {
      for (const c of containersOf(d)) expect(c.command).toBeUndefined();
    }
  });
});

describe('k8s production overlay', () => {
  const production = rendered.production!;
  const dev = rendered.dev!;

  it('runs at least 3 replicas of each app, and its autoscalers never go below that', () => {
    for (const name of ['inbox-api', 'inbox-dispatcher']) {
      expect(find<Workload>(production, 'Deployment', name).spec.replicas).toBeGreaterThanOrEqual(3);
      expect(find<Hpa>(production, 'HorizontalPodAutoscaler', name).spec.minReplicas).toBeGreaterThanOrEqual(3);
    }
  });

  it('gives the apps larger limits than dev', () => {
    const memoryMi = (q: string | undefined) => (q?.endsWith('Gi') ? parseFloat(q) * 1024 : parseFloat(q ?? '0'));
    for (const name of ['inbox-api', 'inbox-dispatcher']) {
      const limits = (objects: K8sObject[]) =>
        find<Workload>(objects, 'Deployment', name).spec.template.spec.containers[0]?.resources?.limits;
      expect(memoryMi(limits(production)?.memory)).toBeGreaterThan(memoryMi(limits(dev)?.memory));
    }
  });
});

/** Objects in a stable order (by kind, namespace, name) to compare two renderings. */
const sorted = (objects: K8sObject[]) =>
  [...objects].sort((a, b) =>
    `${a.kind}/${a.metadata.namespace ?? ''}/${a.metadata.name}`.localeCompare(
      `${b.kind}/${b.metadata.namespace ?? ''}/${b.metadata.name}`,
    ),
  );

describe('render.ts against kubectl kustomize', () => {
  const onlyWithKubectl = KUBECTL ? it : it.skip;
  if (!KUBECTL)
    console.warn(
      'kubectl not found on PATH: the overlays were rendered by render.ts alone, not compared with kustomize',
    );

  onlyWithKubectl.each([...overlays])(
    'renders overlay %s exactly as kubectl does, ConfigMap hash suffix included',
    (overlay) => {
      const ours = sorted(render(overlayDir(overlay)));
      const theirs = sorted(rendered[overlay]!); // kubectl's, when it is on PATH
      expect(ours.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(
        theirs.map((o) => `${o.kind}/${o.metadata.name}`),
      );
      expect(ours).toEqual(theirs);
    },
  );
});

describe('config rollout (configMapGenerator)', () => {
  /** Renders a copy of infra/k8s whose base config.env has `edit` applied, with each available renderer. */
  function renderEdited(edit: (env: string) => string): Record<string, K8sObject[]> {
    const scratch = scratchKustomization((dir) => {
      cpSync(join(INFRA, 'k8s'), join(dir, 'k8s'), { recursive: true });
      const envFile = join(dir, 'k8s/base/config.env');
      writeFileSync(envFile, edit(readFileSync(envFile, 'utf8')));
    });
    try {
      const dir = join(scratch.dir, 'k8s/overlays/production');
      return { 'render.ts': render(dir), ...(KUBECTL && { kubectl: renderWithKubectl(dir, KUBECTL) }) };
    } finally {
      scratch.remove();
    }
  }
  const before = renderEdited((env) => env);
  const after = renderEdited((env) => env.replace(/^INBOX_DELIVERY_TIMEOUT=10s$/m, 'INBOX_DELIVERY_TIMEOUT=12s'));
  /** The ConfigMap names every workload's containers read (envFrom and env). */
  const referencedConfigMaps = (objects: K8sObject[]) =>
    Object.fromEntries(
      workloads(objects).map((w) => [
        w.metadata.name,
        [
          ...new Set(
            containersOf(w).flatMap((c) => [
              ...(c.envFrom ?? []).flatMap((ref) => (ref.configMapRef ? [ref.configMapRef.name] : [])),
              ...(c.env ?? []).flatMap((e) => (e.valueFrom?.configMapKeyRef ? [e.valueFrom.configMapKeyRef.name] : [])),
            ]),
          ),
        ],
      ]),
    );

  it.each(Object.keys(before))(
    'a changed value renames the ConfigMap and every Deployment and the Job follow it (%s)',
    (renderer) => {
      const [old, changed] = [before[renderer]!, after[renderer]!];
      expect(configMapData(changed).INBOX_DELIVERY_TIMEOUT).toBe('12s');
      const [oldName, newName] = [configMap(old).metadata.name, configMap(changed).metadata.name];
      expect(newName).not.toBe(oldName);
      expect(referencedConfigMaps(old)).toEqual({
        'inbox-api': [oldName],
        'inbox-dispatcher': [oldName],
        'inbox-migrate': [oldName],
      });
      expect(referencedConfigMaps(changed)).toEqual({
        'inbox-api': [newName],
        'inbox-dispatcher': [newName],
        'inbox-migrate': [newName],
      });
    },
  );

  it('the same data renders the same name (no rollout without a change)', () => {
    // `before` is a copy of infra/k8s, rendered from another directory: only the data counts.
    for (const objects of Object.values(before)) {
      expect(configMap(objects).metadata.name).toBe(configMap(rendered.production!).metadata.name);
    }
  });
});

describe('KEDA component (production overlay + components/keda)', () => {
  interface ScaledObject extends K8sObject {
    spec: {
      scaleTargetRef: { apiVersion?: string; kind?: string; name: string };
      minReplicaCount: number;
      maxReplicaCount: number;
      triggers: {
        type: string;
        metadata: Record<string, string>;
        metricType?: string;
        authenticationRef?: { name: string };
      }[];
    };
  }
  const scratch = scratchKustomization((dir, k8s) =>
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      `namespace: inbox\nresources: [${k8s}/overlays/production]\ncomponents: [${k8s}/components/keda]\n`,
    ),
  );
  let objects: K8sObject[];
  let ours: K8sObject[];
  try {
    objects = kustomize(scratch.dir, KUBECTL).objects;
    ours = render(scratch.dir);
  } finally {
    scratch.remove();
  }

  it('replaces the dispatcher HPA with a ScaledObject (two autoscalers would fight) and keeps the API HPA', () => {
    const autoscalers = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler' || o.kind === 'ScaledObject');
    expect(autoscalers.map((o) => `${o.kind}/${o.metadata.name}`).sort()).toEqual([
      'HorizontalPodAutoscaler/inbox-api',
      'ScaledObject/inbox-dispatcher',
    ]);
    const scaled = find<ScaledObject>(objects, 'ScaledObject', 'inbox-dispatcher');
    expect(scaled.apiVersion).toBe('keda.sh/v1alpha1');
    expect(scaled.metadata.namespace).toBe('inbox');
    const target = find<Workload>(objects, 'Deployment', scaled.spec.scaleTargetRef.name);
    expect(scaled.spec.scaleTargetRef).toEqual({
      apiVersion: target.apiVersion,
      kind: 'Deployment',
      name: 'inbox-dispatcher',
    });
    expect(scaled.spec.minReplicaCount).toBeGreaterThanOrEqual(3); // production's floor
    expect(scaled.spec.minReplicaCount).toBeLessThanOrEqual(target.spec.replicas!);
    expect(target.spec.replicas).toBeLessThanOrEqual(scaled.spec.maxReplicaCount);
  });

  it('scales on the jobs waiting for a worker (the dispatchers\' queue gauge, from Prometheus), and on CPU', () => {
    const scaled = find<ScaledObject>(objects, 'ScaledObject', 'inbox-dispatcher');
    const [queue, cpu] = scaled.spec.triggers;
    expect(queue?.type).toBe('prometheus');
    // The gauge the dispatcher exports, in the namespace it runs in, over the states jobs due now wait in.
    expect(queue?.metadata.query).toBe('max(inbox_dispatcher_queue_jobs{namespace="inbox", state=~"wait|prioritized"})');
    expect(Number(queue?.metadata.threshold)).toBe(dispatcherConfig(objects).dispatcherConcurrency);
    expect(queue?.metadata.serverAddress).toMatch(/^http:\/\/[a-z0-9.-]+\.monitoring\.svc:\d+$/);
    expect(cpu).toEqual({
      type: 'cpu',
      metricType: 'Utilization',
      metadata: { value: expect.stringMatching(/^\d+$/) },
    });
    expect(objects.filter((o) => o.kind === 'TriggerAuthentication')).toEqual([]);
  });

  it('leaves every other object as the production overlay renders it', () => {
    const others = (list: K8sObject[]) =>
      sorted(
        list.filter((o) => !['HorizontalPodAutoscaler', 'ScaledObject', 'TriggerAuthentication'].includes(o.kind)),
      );
    expect(others(objects)).toEqual(others(rendered.production!.filter((o) => o.kind !== 'HorizontalPodAutoscaler')));
  });

  (KUBECTL ? it : it.skip)('render.ts renders the component exactly as kubectl does', () => {
    expect(sorted(ours)).toEqual(sorted(objects));
  });
});

describe('compose.yaml (laptops)', () => {
  interface ComposeService {
    image?: string;
    build?: { context: string; dockerfile: string };
    command?: string[];
    environment?: Record<string, string | number | boolean>;
    ports?: string[];
    depends_on?: Record<string, { condition: string }>;
  }
  const compose = parseYaml(read('compose.yaml'), { merge: true }) as { services: Record<string, ComposeService> };
  const services = compose.services;
  /** Compose's `${VAR:-default}` as it resolves with no .env file: the default. */
  const resolveEnv = (env: ComposeService['environment'] = {}) =>
    Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v).replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1')]));

  it('has Postgres 15, Redis 7, the migration, the API and the dispatcher', () => {
    expect(Object.keys(services).sort()).toEqual(['api', 'dispatcher', 'migrate', 'postgres', 'redis']);
    expect(services.postgres?.image).toBe('postgres:15');
    expect(services.redis?.image).toBe('redis:7');
  });

  it.each([
    ['api', loadApiConfig, API_CONFIG_VARIABLES, { allowHttp: true, allowPrivateUrls: true }],
    ['dispatcher', loadDispatcherConfig, DISPATCHER_CONFIG_VARIABLES, { allowPrivateUrls: true }],
  ] as const)(
    '%s sets the secrets its app reads (and no others), and the app accepts its environment',
    (name, load, variables, laptopSwitches) => {
      const env = resolveEnv(services[name]?.environment);
      for (const key of SECRET_KEYS) expect(Boolean(env[key])).toBe(variables.includes(key));
      for (const key of Object.keys(env)) expect(CONFIG_VARIABLES).toContain(key);
      const config = load(env);
      expect(config.databaseUrl).toBe('postgres://postgres@postgres:5432/inbox');
      expect(config.redisUrl).toBe('redis://redis:6379/0');
      // Laptop-only switches: local http receivers are allowed here and nowhere else.
      expect(config).toMatchObject(laptopSwitches);
    },
  );

  it('migrate gets the database the apps use, and only variables the apps read', () => {
    const env = resolveEnv(services.migrate?.environment);
    for (const key of Object.keys(env)) expect(CONFIG_VARIABLES).toContain(key);
    expect(env.DATABASE_URL).toBe('postgres://postgres@postgres:5432/inbox');
  });

  it('marks its built-in secrets as dev-only and lets infra/.env override them', () => {
    const text = read('compose.yaml');
    expect(text).toMatch(/DEV-ONLY/);
    expect(text).toContain('INBOX_INTERNAL_TOKEN: ${INBOX_INTERNAL_TOKEN:-');
    expect(text).toContain('INBOX_SECRET_KEY: ${INBOX_SECRET_KEY:-');
  });

  it('runs the migration once before either app starts', () => {
    expect(services.migrate?.command).toEqual(['node', 'migrate.mjs']);
    expect(services.migrate?.build?.dockerfile).toBe('infra/docker/api.Dockerfile');
    for (const app of ['api', 'dispatcher']) {
      expect(services[app]?.depends_on?.migrate).toEqual({ condition: 'service_completed_successfully' });
    }
  });

  it('builds each app from its Dockerfile with the repository root as context and publishes its port', () => {
    for (const [app, port] of [
      ['api', 3000],
      ['dispatcher', 3001],
    ] as const) {
      const build = services[app]?.build;
      expect(build).toEqual({ context: '..', dockerfile: `infra/docker/${app}.Dockerfile` });
      expect(existsSync(join(INFRA, build!.context, build!.dockerfile))).toBe(true);
      expect(services[app]?.ports).toContain(`${port}:${port}`);
    }
  });
});

describe.each(['api', 'dispatcher'])('docker/%s.Dockerfile', (app) => {
  const path = `docker/${app}.Dockerfile`;
  const text = existsSync(join(INFRA, path)) ? read(path) : '';
  /** The final stage: what ships. */
  const runtime = text.slice(text.lastIndexOf('\nFROM '));
  const packageManager = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { packageManager: string })
    .packageManager;

  it('exists, with an ignore file beside it for the repository-root context', () => {
    expect(text).not.toBe('');
    // Node 22 LTS in every stage: the build runs on the Node the image ships (the code also runs on 20).
    const stages = [...text.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(stages).toEqual(['node:22-slim', 'node:22-slim']);
    expect(readFileSync(join(INFRA, `${path}.dockerignore`), 'utf8')).toMatch(/^\*\*\/node_modules$/m);
  });

  it('builds with the pinned pnpm from the lockfile and deploys only production dependencies', () => {
    expect(text).toContain(`npm i -g ${packageManager}`);
    expect(text).toContain('pnpm install --frozen-lockfile');
    expect(text).toContain(`pnpm turbo run build --filter @inbox/${app}...`);
    expect(text).toMatch(new RegExp(`pnpm --filter @inbox/${app} deploy --prod`));
  });

  it('ships a non-root, production runtime that starts the app and leaves health checks to the probes', () => {
    expect(runtime).toMatch(/^FROM node:22-slim AS runtime$/m);
    expect(runtime).toMatch(/^ENV NODE_ENV=production$/m);
    const user = runtime.match(/^USER (\S+)$/m)?.[1] ?? '';
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    expect(user).toMatch(/^\d+:\d+$/); // numeric, so Kubernetes' runAsNonRoot can verify it
    expect(runtime).toContain('CMD ["node", "dist/main.js"]');
    expect(text).not.toMatch(/^HEALTHCHECK/m);
  });
});

it('the api image carries the migrate script that the Job and compose run', () => {
  expect(read('docker/api.Dockerfile')).toContain('COPY infra/docker/migrate.mjs ./migrate.mjs');
  expect(existsSync(join(INFRA, 'docker/migrate.mjs'))).toBe(true);
});
