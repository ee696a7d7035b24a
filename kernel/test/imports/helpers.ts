import type { Api } from '../helpers/api.js';
import type { Session } from '../helpers/auth.js';
import type { startTestKernel } from '../helpers/kernel.js';

type Kernel = Awaited<ReturnType<typeof startTestKernel>>;

/** Uploads a CSV file as the raw body, as a browser or `curl --data-binary` sends it. */
export async function upload(kernel: Kernel, who: Session, object: string, file: string | Buffer, contentType = 'text/csv') {
  const res = await kernel.app.inject({ method: 'POST', url: `/api/objects/${object}/imports?file_name=test.csv`, headers: { ...who.headers, 'content-type': contentType }, payload: file });
  return { status: res.statusCode, body: res.json() as any };
}

/** Polls the import until it has ended (the run is in the background). */
export async function finished(client: Api, id: string): Promise<any> {
  for (;;) {
    const res = await client.get(`/api/imports/${id}`);
    if (res.body.data.status !== 'running') return res.body.data;
    await new Promise((done) => setTimeout(done, 50));
  }
}

export const COMPANY = {
  name: 'company',
  fields: [
    { name: 'name', type: 'text', label: 'Name', is_nullable: false },
    { name: 'domain', type: 'text', label: 'Domain', is_unique: true },
    { name: 'employees', type: 'number', label: 'Employees', options: { precision: 'integer' } },
    { name: 'revenue', type: 'currency', label: 'Annual revenue' },
    { name: 'founded', type: 'date', label: 'Founded' },
    { name: 'icp', type: 'boolean', label: 'Ideal customer' },
    { name: 'industry', type: 'select', label: 'Industry', options: { options: [{ value: 'software', label: 'Software' }, { value: 'retail', label: 'Retail & shops' }] } },
    { name: 'contact', type: 'email', label: 'Contact email' },
    { name: 'address', type: 'address', label: 'Address' },
    { name: 'notes', type: 'text', label: 'Notes' },
  ],
};

