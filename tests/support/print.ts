/** Prints a figure a reliability test measured (the seed, counts, bounds), so every run's log shows it. */
export function print(line: string): void {
  // eslint-disable-next-line no-console -- these lines are the tests' report
  console.log(line)
}
