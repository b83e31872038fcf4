/** Vite bundles imported style sheets; TypeScript only needs to know they exist. */
declare module '*.css';
