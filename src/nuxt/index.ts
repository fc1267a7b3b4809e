export type { ModuleOptions } from './module'
export { default } from './module'
