/**
 * Every promise the README and the guides make is held by a test that names the page it comes from. The
 * ledger (tests/fixtures/promises/, one file per page) quotes each promise and names its tests; this
 * checks that the quote is still on the page, that each test exists, and that its file names the page.
 * A sentence that no test holds is either tested or removed from the page.
 */
import type { Claim } from './fixtures/promises/types'
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { ledger } from './fixtures/promises/index'

const flat = (text: string): string => text.replace(/\s+/g, ' ')
const read = (path: string): string => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8')

describe.each(Object.entries(ledger))('%s', (page, claims: readonly Claim[]) => {
  const text = flat(read(page))
  it('has its promises listed', () => {
    expect(claims.length).toBeGreaterThan(0)
  })

  it('quotes only what the page says', () => {
    expect(claims.map(c => c.says).filter(says => !text.includes(flat(says)))).toEqual([])
  })

  it('names for each promise tests that exist, in files that name the page', () => {
    const missing: string[] = []
    for (const claim of claims) {
      if (claim.heldBy.length === 0)
        missing.push(`no test: ${claim.says}`)
      for (const test of claim.heldBy) {
        const [file, title] = test.split(' > ') as [string, string | undefined]
        let source: string
        try {
          source = read(file)
        }
        catch {
          missing.push(`no file ${file}`)
          continue
        }
        if (title === undefined || !flat(source).includes(flat(title)))
          missing.push(`no test titled "${title}" in ${file}`)
        if (!source.includes(page))
          missing.push(`${file} does not name ${page}`)
      }
    }
    expect(missing).toEqual([])
  })
})
