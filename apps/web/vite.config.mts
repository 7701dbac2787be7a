import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

// The API serves apps/web/dist at `/`, so the build is plain static files with absolute asset paths.
export default defineConfig({
  root,
  base: '/',
  build: {
    outDir: `${root}dist`,
    emptyOutDir: true,
    target: 'es2022',
    // Each page is small; one stylesheet and one script keep the first load to two requests.
    cssCodeSplit: false,
  },
});
