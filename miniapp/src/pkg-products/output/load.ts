import type { BatchItem, MachineItem, ProductItem } from '@wattdesk/shared';
import { fetchPersonalise } from '../../api/energy';
import { fetchBatches, fetchOutputMachines, fetchProducts, fetchShifts } from '../../api/products';
import { wallClock } from '../../domain/periods';
import { currentShift } from '../../domain/products';

export interface OutputForm {
  products: ProductItem[];
  machines: MachineItem[];
  batches: BatchItem[];
  /** The shift running now (its period pre-fills the form), null when none covers now. */
  shift: { name: string; start: string; end: string } | null;
}

/** What the output entry form offers, and the current shift's period on the site's clock. */
export async function loadOutputForm(now = new Date()): Promise<OutputForm> {
  const [products, machines, batches, shifts, settings] = await Promise.all([
    fetchProducts(),
    fetchOutputMachines(),
    fetchBatches(),
    fetchShifts(),
    fetchPersonalise(),
  ]);
  return {
    products,
    machines,
    batches,
    shift: currentShift(shifts, wallClock(now, settings.Time_Zone || undefined)),
  };
}
