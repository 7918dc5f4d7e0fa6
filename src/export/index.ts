export { exportJsonl, exportClaimsCsv, CLAIM_COLUMNS } from './bulk';
