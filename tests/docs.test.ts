import { execFile } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { promisify } from 'node:util'
import ts from 'typescript'
import { afterAll, describe, expect, it } from 'vitest'
import { projectRoot } from './e2e/harness'

// The docs are tested as code: the site builds with no dead link, every public option is on its page
// with the default its JSDoc gives, and every TypeScript and Vue example compiles in an app set up the way
// `npm create vite` sets one up.
const run = promisify(execFile)
const bin = (name: string): string => join(projectRoot, 'node_modules/.bin', name)
const read = (path: string): string => readFileSync(join(projectRoot, path), 'utf8')

function markdownFiles(dir: string): string[] {
  return readdirSync(join(projectRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name)
    if (entry.isDirectory())
      return entry.name.startsWith('.') ? [] : markdownFiles(path)
    return entry.name.endsWith('.md') ? [path] : []
  })
}
const pages = ['README.md', ...markdownFiles('docs')]

describe('the docs site', () => {
  it('builds with VitePress, which fails on any dead link', async () => {
    const out = mkdtempSync(join(projectRoot, 'node_modules/.docs-site-'))
    try {
      const { stdout, stderr } = await run(bin('vitepress'), ['build', 'docs', '--outDir', out], { cwd: projectRoot, timeout: 120_000 })
      expect(`${stdout}${stderr}`).not.toMatch(/dead link/i)
      expect(readdirSync(out)).toEqual(expect.arrayContaining(['index.html', 'guide', 'migrating.html', 'deploying.html']))
    }
    finally {
      rmSync(out, { recursive: true, force: true })
    }
  }, 150_000)
})

/** The members of an exported interface, with the `@default` of their JSDoc. */
function members(file: string, name: string): { name: string, defaultValue: string | undefined }[] {
  const source = ts.createSourceFile(file, read(file), ts.ScriptTarget.Latest, true)
  const found = source.statements.find((s): s is ts.InterfaceDeclaration => ts.isInterfaceDeclaration(s) && s.name.text === name)
  if (found === undefined)
    throw new Error(`no interface ${name} in ${file}`)
  return found.members.filter(ts.isPropertySignature).map((member) => {
    const tag = ts.getJSDocTags(member).find(t => t.tagName.text === 'default')
    const text = typeof tag?.comment === 'string' ? tag.comment.trim() : undefined
    return { name: (member.name as ts.Identifier).text, defaultValue: text }
  })
}

/** A table row's cells, for the row whose first cell is `name` in code. */
function row(page: string, name: string): string[] | undefined {
  const line = read(page).split('\n').find(l => l.startsWith(`| \`${name}\` |`))
  return line?.split(/(?<!\\)\|/).slice(1, -1).map(cell => cell.trim())
}

/** The first literal of a default as written in JSDoc (`30000`, `'text'`, `true`) or in a table cell (`` `30000` ms ``). */
function literal(text: string): string | undefined {
  return /^`?('[^']*'|-?[\d_.]+|true|false|Infinity|\[\]|\{\})`?/.exec(text)?.[1]?.replace(/_/g, '')
}

describe('the options pages', () => {
  const options = [
    ...members('src/core/types.ts', 'EventSourceOptions'),
    ...members('src/useEventSource.ts', 'UseEventSourceOptions'),
  ]
  // Options the Vue layer takes over (reactive versions documented once) or that only tests inject.
  const page = 'docs/guide/api.md'

  it('every option of useEventSource and createEventSource has a JSDoc @default', () => {
    expect(options.filter(o => o.defaultValue === undefined).map(o => o.name)).toEqual([])
  })

  it('every option has a row on the options page, with the default its JSDoc gives', () => {
    const names = [...new Set(options.map(o => o.name))]
    expect(names.filter(name => row(page, name) === undefined)).toEqual([])
    const disagree = options.flatMap(({ name, defaultValue }) => {
      const fromJsDoc = literal(defaultValue ?? '')
      const fromPage = literal(row(page, name)?.[2] ?? '')
      return fromJsDoc !== undefined && fromJsDoc !== fromPage ? [`${name}: JSDoc ${fromJsDoc}, page ${fromPage}`] : []
    })
    expect(disagree).toEqual([])
  })

  it('every value useEventSource returns has a row on the options page', () => {
    const returned = members('src/useEventSource.ts', 'UseEventSourceReturn').map(m => m.name)
    const cells = read(page).split('\n').map(l => /^\| `(\w+)/.exec(l)?.[1])
    expect(returned.length).toBeGreaterThan(10)
    expect(returned.filter(name => !cells.includes(name))).toEqual([])
  })

  it('every reconnect option is on the reconnection page with its default', () => {
    const reconnect = members('src/core/types.ts', 'ReconnectOptions')
    expect(reconnect.filter(o => row('docs/guide/reconnection.md', o.name) === undefined).map(o => o.name)).toEqual([])
    const disagree = reconnect.filter(o => literal(o.defaultValue ?? '') !== undefined && literal(o.defaultValue!) !== literal(row('docs/guide/reconnection.md', o.name)![1]!))
    expect(disagree.map(o => o.name)).toEqual([])
  })

  it('the shared and Nuxt options are on their pages', () => {
    const shared = read('docs/guide/shared.md')
    expect(members('src/useSharedEventSource.ts', 'UseSharedEventSourceOptions').filter(o => !shared.includes(`\`${o.name}\``)).map(o => o.name)).toEqual([])
    const nuxt = members('src/nuxt/module.ts', 'ModuleOptions')
    expect(nuxt.filter(o => literal(row('docs/guide/ssr-nuxt.md', o.name)?.[1] ?? '') !== literal(o.defaultValue ?? '')).map(o => o.name)).toEqual([])
  })
})

/** Every ```ts and ```vue block of a page, with the line it starts on. */
function examples(page: string): { lang: 'ts' | 'vue', code: string, line: number }[] {
  const found: { lang: 'ts' | 'vue', code: string, line: number }[] = []
  const lines = read(page).split('\n')
  for (let i = 0; i < lines.length; i++) {
    // fenced at the start of a line or indented inside a list item
    const open = /^( *)```(ts|vue)\s*$/.exec(lines[i]!)
    if (open === null)
      continue
    const indent = open[1]!
    const end = lines.indexOf(`${indent}\`\`\``, i + 1)
    found.push({ lang: open[2] as 'ts' | 'vue', code: lines.slice(i + 1, end).map(l => l.slice(indent.length)).join('\n'), line: i + 1 })
    i = end
  }
  return found
}

/**
 * A snippet's top-level bindings, exported, as a page's `<script setup>` exposes its bindings to the
 * template: a snippet shows a call and what it returns without having to use every name. Parameters,
 * and everything inside functions, are checked as they are written.
 */
function exportTopLevel(code: string): string {
  const source = ts.createSourceFile('example.ts', code, ts.ScriptTarget.Latest, true)
  const names: string[] = []
  const types: string[] = []
  const bind = (name: ts.BindingName): void => {
    if (ts.isIdentifier(name))
      names.push(name.text)
    else
      name.elements.forEach(element => ts.isBindingElement(element) && bind(element.name))
  }
  for (const statement of source.statements) {
    const exported = ts.canHaveModifiers(statement) && ts.getModifiers(statement)?.some(m => m.kind === ts.SyntaxKind.ExportKeyword)
    if (exported || ts.isImportDeclaration(statement))
      continue
    if (ts.isVariableStatement(statement) && !statement.modifiers?.some(m => m.kind === ts.SyntaxKind.DeclareKeyword))
      statement.declarationList.declarations.forEach(d => bind(d.name))
    else if (ts.isFunctionDeclaration(statement) && statement.name !== undefined && !statement.modifiers?.some(m => m.kind === ts.SyntaxKind.DeclareKeyword))
      names.push(statement.name.text)
    else if (ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement))
      types.push(statement.name.text)
  }
  return [code, '', 'export {}', names.length > 0 && `export { ${names.join(', ')} }`, types.length > 0 && `export type { ${types.join(', ')} }`, ''].filter(l => l !== false).join('\n')
}

describe('every export is documented', () => {
  it('each runtime export of every entry is used in an example the docs compile', async () => {
    const entries = {
      'vue-event-source': await import('../src/index'),
      'vue-event-source/core': await import('../src/core/index'),
      'vue-event-source/eventsource': await import('../src/eventsource/index'),
      'vue-event-source/fetch-event-source': await import('../src/fetch-event-source/index'),
      'vue-event-source/vueuse': await import('../src/vueuse/index'),
    }
    const code = pages.flatMap(page => examples(page).map(e => e.code)).join('\n')
    const missing = Object.entries(entries).flatMap(([entry, module]) =>
      Object.keys(module).filter(name => !new RegExp(`\\b${name}\\b`).test(code)).map(name => `${entry}: ${name}`))
    expect(missing).toEqual([])
    // the Nuxt module is its default export, shown in the nuxt.config examples
    expect(code).toContain('\'vue-event-source/nuxt\'')
  })
})

describe('the docs\' examples', () => {
  const app = mkdtempSync(join(projectRoot, 'node_modules/.docs-examples-'))
  afterAll(() => rmSync(app, { recursive: true, force: true }))

  it('every TypeScript and Vue example in the README and the docs compiles in a strict create-vite app', async () => {
    const written: string[] = []
    for (const page of pages) {
      for (const { lang, code, line } of examples(page)) {
        const name = `${page.replace(/\W+/g, '_')}_${line}`
        mkdirSync(join(app, 'src'), { recursive: true })
        writeFileSync(join(app, 'src', `${name}.${lang}`), lang === 'ts' ? exportTopLevel(code) : code)
        written.push(`${page}:${line}`)
      }
    }
    expect(written.length).toBeGreaterThan(20)
    // The compiler options `npm create vite` (vue-ts) writes in tsconfig.app.json, plus the package
    // resolved to its sources. Nuxt config snippets get Nuxt's define function, typed with our options.
    writeFileSync(join(app, 'env.d.ts'), [
      '/// <reference types="vite/client" />',
      'declare function defineNuxtConfig(config: { modules?: string[], eventSource?: import(\'vue-event-source/nuxt\').ModuleOptions }): unknown',
    ].join('\n'))
    writeFileSync(join(app, 'tsconfig.json'), JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        useDefineForClassFields: true,
        module: 'ESNext',
        lib: ['ES2022', 'DOM', 'DOM.Iterable'],
        types: ['vite/client'],
        skipLibCheck: true,
        moduleResolution: 'bundler',
        allowImportingTsExtensions: true,
        verbatimModuleSyntax: true,
        moduleDetection: 'force',
        noEmit: true,
        jsx: 'preserve',
        strict: true,
        noUnusedLocals: true,
        noUnusedParameters: true,
        erasableSyntaxOnly: true,
        noFallthroughCasesInSwitch: true,
        noUncheckedSideEffectImports: true,
        baseUrl: '.',
        paths: {
          'vue-event-source': [relative(app, join(projectRoot, 'src/index.ts'))],
          'vue-event-source/*': [`${relative(app, join(projectRoot, 'src'))}/*`],
        },
      },
      // The package's sources declare their own __DEV__ (a published build writes it out).
      include: ['env.d.ts', relative(app, join(projectRoot, 'src/env.d.ts')), 'src/**/*.ts', 'src/**/*.vue'],
    }))
    const result = await run(bin('vue-tsc'), ['--noEmit', '-p', app], { cwd: projectRoot, timeout: 120_000 }).then(() => '', (error: { stdout?: string }) => error.stdout ?? String(error))
    // Each error names the example's file, which names its page and line.
    expect(result.split('\n').filter(l => l.includes('error TS'))).toEqual([])
  }, 150_000)
})
