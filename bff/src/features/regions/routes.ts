import { provinceCities } from '@wattdesk/shared';
import { route } from '../../core/http/route';
import { provinceCityList, REGIONS_SOURCE } from './data';

/** Seed 002 §9.2: provinces and their cities, for address pickers (public: the sign-up page needs it). */
export const regionRoutes = [
  route({
    method: 'get',
    path: '/api_3/province_city_list',
    envelope: '002',
    tag: '9 小程序',
    summary: '9.2 获取省市关系',
    description: `全国 34 个省级行政区及其地级市（含省直辖县级市）。数据来源：${REGIONS_SOURCE}。`,
    access: 'public',
    response: provinceCities,
    handler: async ({ ctx }) => {
      ctx.set('Cache-Control', 'public, max-age=86400');
      return provinceCityList();
    },
  }),
];
