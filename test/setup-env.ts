import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core writes its config (with an encryption key) into N8N_USER_FOLDER when first imported.
process.env.N8N_USER_FOLDER ??= mkdtempSync(join(tmpdir(), 'checkmobi-n8n-'));
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
// n8n's own logger writes to a file per test process, which tests can read (no secret may be in it).
process.env.N8N_LOG_OUTPUT = 'file';
process.env.N8N_LOG_LEVEL ??= 'debug';
process.env.N8N_LOG_FILE_LOCATION = join(process.env.N8N_USER_FOLDER, 'n8n.log');
