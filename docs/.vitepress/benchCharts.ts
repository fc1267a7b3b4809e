import type { Plugin } from 'vite'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const CHART = /(?:^|\/)(results-[a-z-]+\.svg)$/
const PLACEHOLDER = '\0bench-chart-placeholder'
const NOT_YET = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="60"><rect width="640" height="60" fill="#f6f6f7"/><text x="20" y="36" font-family="sans-serif" font-size="15" fill="#555">No chart yet: the next full \`npm run bench\` draws it.</text></svg>`

/**
 * Serves the bench's charts from bench/, where a full `npm run bench` writes them beside RESULTS.md: the
 * results page includes RESULTS.md, whose `./results-<env>.svg` would otherwise be looked for beside
 * docs/results.md. Before the first run has drawn one, a placeholder stands in, so the site still builds.
 */
export function benchCharts(): Plugin {
  return {
    name: 'bench-charts',
    enforce: 'pre',
    resolveId(source, importer) {
      const chart = CHART.exec(source)
      if (chart === null || importer === undefined || !importer.endsWith('.md'))
        return null
      const file = fileURLToPath(new URL(`../../bench/${chart[1]}`, import.meta.url))
      return existsSync(file) ? file : PLACEHOLDER
    },
    load(id) {
      return id === PLACEHOLDER ? `export default ${JSON.stringify(`data:image/svg+xml,${encodeURIComponent(NOT_YET)}`)}` : null
    },
  }
}
