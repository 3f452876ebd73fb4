/** The one credentials type both nodes use (credentials/CheckMobiApi.credentials.ts). */
export const CREDENTIALS_TYPE = 'checkMobiApi';
