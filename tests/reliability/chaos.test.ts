import type { Fault } from '../server/chaos'
import type { Verdict } from './chaosCheck'
import type { ClientFactory } from './chaosDriver'
import process from 'node:process'
import { describe, expect, it } from 'vitest'
import { chaosStreams, FAULTS } from '../server/chaos'
import { saveFigures } from '../support/figures'
import { uniqueKey, useTestServer } from '../support/helpers'
import { print } from '../support/print'
import { check } from './chaosCheck'
import { coreClient, drive, vueClient } from './chaosDriver'

const server = useTestServer()

// A new seed every run explores new schedules; CHAOS_SEED=<n> replays one.
const seed = Number(process.env.CHAOS_SEED ?? Math.floor(Math.random() * 2 ** 31))
const STREAMS = 4
const FAULTS_PER_STREAM = 70
const EVENTS_PER_STREAM = 240

/** Runs `STREAMS` chaos streams at once through one kind of client and checks each against the server's log. */
async function run(make: ClientFactory, offset: number): Promise<Verdict[]> {
  const deadline = performance.now() + 100_000
  return Promise.all(Array.from({ length: STREAMS }, async (_, i) => {
    const key = uniqueKey()
    const streamSeed = seed + offset + i
    const schedule = { seed: streamSeed, faults: FAULTS_PER_STREAM, events: EVENTS_PER_STREAM }
    const observed = await drive(make, server.current.url, key, schedule, EVENTS_PER_STREAM, deadline)
    await server.current.waitForOpen(key, 0)
    const verdict = check(chaosStreams.get(key)!.log, observed, EVENTS_PER_STREAM)
    return { ...verdict, problems: verdict.problems.map(p => `stream seed ${streamSeed}: ${p}`) }
  }))
}

function total(verdicts: Verdict[]): Record<Fault, number> & { all: number, lost: number, duplicated: number, delivered: number, schedules: number } {
  const faults = Object.fromEntries(FAULTS.map(f => [f, verdicts.reduce((sum, v) => sum + v.faults[f], 0)])) as Record<Fault, number>
  const sum = (pick: (v: Verdict) => number): number => verdicts.reduce((s, v) => s + pick(v), 0)
  return { ...faults, all: sum(v => FAULTS.reduce((s, f) => s + v.faults[f], 0)), lost: sum(v => v.lost), duplicated: sum(v => v.duplicated), delivered: sum(v => v.delivered), schedules: sum(v => v.schedules) }
}

describe('fault injection: a chaos server that cuts, fails, stalls, trickles, stops and revokes tokens', () => {
  const figures: Record<string, unknown> = { seed, streams: STREAMS * 2, faultsPerStream: FAULTS_PER_STREAM, eventsPerStream: EVENTS_PER_STREAM }

  // Promised in README.md and docs/guide/getting-started.md (tests/fixtures/promises/).
  // docs/index.md, the home page, quotes promises held here too (tests/fixtures/promises/home.ts).
  it(`through createEventSource and useEventSource, ${STREAMS * 2 * FAULTS_PER_STREAM} faults lose no event and duplicate none, each fault ends in its state, delays follow the policy, and no connection stays open`, async () => {
    print(`chaos seed ${seed} (CHAOS_SEED=${seed} replays this schedule)`)
    const started = performance.now()
    const [core, vue] = await Promise.all([run(coreClient, 0), run(vueClient, STREAMS)])
    const all = [...core!, ...vue!]
    const totals = total(all)
    figures.core = total(core!)
    figures.vue = total(vue!)
    figures.total = totals
    figures.seconds = Math.round((performance.now() - started) / 100) / 10
    saveFigures('chaos', figures)
    print(`chaos: ${totals.all} faults (${FAULTS.map(f => `${f} ${totals[f]}`).join(', ')}), ${totals.delivered} events delivered, ${totals.lost} lost, ${totals.duplicated} duplicated, ${totals.schedules} reconnect delays checked, ${figures.seconds} s`)
    expect(all.flatMap(v => v.problems)).toEqual([])
    expect(totals.lost).toBe(0)
    expect(totals.duplicated).toBe(0)
    expect(totals.all).toBeGreaterThanOrEqual(500)
    for (const fault of FAULTS)
      expect(totals[fault], fault).toBeGreaterThan(0)
  }, 120_000)
})
