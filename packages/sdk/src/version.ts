declare const __SDK_VERSION__: string | undefined;

/** The package version, set at build time (tsup `define`); `dev` when running from source. */
export const SDK_VERSION: string = typeof __SDK_VERSION__ === 'string' ? __SDK_VERSION__ : 'dev';
