import { z } from 'zod';

/** 9.2 GET /api_3/province_city_list response item. */
export const provinceCities = z.object({
  Province_Name: z.string(),
  City_List: z.array(z.object({ City_Name: z.string() })),
});

export type ProvinceCities = z.infer<typeof provinceCities>;
