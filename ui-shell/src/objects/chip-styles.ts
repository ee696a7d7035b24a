import { css } from 'lit';

/** Chips (select values, relations) and members with their initials coloured by option colour: shared by the table, the board and the record page. */
export const chipStyles = css`
  .chip { display: inline-block; padding: 1px 8px; border-radius: 10px; background: #f1f5f9; color: #334155; font-size: 12px; }
  .chip.rel { background: var(--accent-soft); color: #3730a3; }
  .c-red { background: #fee2e2; color: #991b1b; } .c-orange { background: #ffedd5; color: #9a3412; }
  .c-yellow { background: #fef9c3; color: #854d0e; } .c-green { background: #dcfce7; color: #166534; }
  .c-blue { background: #dbeafe; color: #1e40af; } .c-purple { background: #f3e8ff; color: #6b21a8; }
  .c-pink { background: #fce7f3; color: #9d174d; } .c-gray { background: #f1f5f9; color: #334155; }
  .member { display: inline-flex; align-items: center; gap: 6px; }
  .avatar { display: inline-grid; place-items: center; width: 20px; height: 20px; border-radius: 50%; background: var(--accent-soft); color: #3730a3; font-size: 10px; font-weight: 600; }
`;
