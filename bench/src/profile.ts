import { readFileSync } from 'node:fs';

/** The parts of V8's .cpuprofile (what `node --cpu-prof` writes) that self time needs. */
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }>;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  totalMs: number;
  /** Sampled time not idle. */
  busyMs: number;
  /** Functions by self time (time on top of the stack), largest first. */
  functions: Array<{ name: string; selfMs: number; percent: number }>;
  /**
   * Busy (non-idle) time with each npm package or workspace module anywhere on the stack: where the
   * time goes, including the node internals (sockets, timers) a package calls into.
   */
  packages: Array<{ name: string; selfMs: number; percent: number }>;
}

/** Top self-time functions and packages of a .cpuprofile file. */
export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const frames = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let totalUs = 0;
  let busyUs = 0;
  profile.samples.forEach((nodeId, i) => {
    // timeDeltas[i] is the time since the previous sample: charge it to this sample's frame.
    const us = profile.timeDeltas[i] ?? 0;
    const frame = frames.get(nodeId);
    if (!frame) return;
    totalUs += us;
    const where = frame.url ? `${shortUrl(frame.url)}:${frame.lineNumber + 1}` : '';
    const fn = `${frame.functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    if (frame.functionName === '(idle)') return;
    busyUs += us;
    const onStack = new Set<string>();
    for (let id: number | undefined = nodeId; id !== undefined; id = parent.get(id)) {
      const pkg = packageOf(frames.get(id)?.url ?? '');
      if (pkg) onStack.add(pkg);
    }
    for (const pkg of onStack) byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  });
  const rank = (m: Map<string, number>, of: number) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, selfMs: Math.round(us / 1000), percent: Math.round((1000 * us) / of) / 10 }));
  return { totalMs: Math.round(totalUs / 1000), busyMs: Math.round(busyUs / 1000), functions: rank(byFunction, totalUs), packages: rank(byPackage, busyUs) };
}

function shortUrl(url: string): string {
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + '/node_modules/'.length);
  const repo = /\/(apps|packages)\/.*$/.exec(url);
  return repo ? repo[0].slice(1) : url.replace(/^file:\/\//, '');
}

/** The npm package (last node_modules segment) or workspace module (`apps/dispatcher/dist/http`) of a script. */
function packageOf(url: string): string | undefined {
  const nm = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*\/node_modules\/)/.exec(url);
  if (nm) return nm[1]!;
  return /\/((?:apps\/[^/]+\/dist|packages\/[^/]+\/dist)\/[^/.]+)/.exec(url)?.[1];
}
