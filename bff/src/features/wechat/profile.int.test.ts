import { buildMember, buildOrg, type TestUser } from '../../../../test/support/builders';
import { useAppWithFakeWeChat, userInfoBind } from '../../../../test/support/wechat';

const t = useAppWithFakeWeChat();

/** A 1×1 PNG, whole (IHDR…IEND with right CRCs). */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000b49444154789c6360000200000500017a5eab3f0000000049454e44ae426082',
  'hex',
);

async function bound(user: TestUser): Promise<void> {
  const wx = userInfoBind(t.fake);
  await t.app.http
    .post('/api_3/xcx_info_bind')
    .set(user.auth)
    .send({ code: wx.code, encryptedData: wx.encryptedData, iv: wx.iv })
    .expect(200);
}

const me = async (user: TestUser) =>
  (await t.app.http.get('/api/users').set(user.auth).expect(200)).body.Data[0] as Record<string, unknown>;

describe('WeChat nickname and avatar from the mini-program fill-in components (extension)', () => {
  it('saves the nickname and the picked avatar; the profile shows both and the avatar reads back', async () => {
    const user = await buildOrg(t.app);
    await bound(user);
    expect(await me(user)).toMatchObject({
      WeChat_Nick_Name: '测试用户',
      WeChat_Avatar_Url: 'https://example.cn/a.png',
    });

    const nick = await t.app.http
      .put('/api_3/xcx_profile')
      .set(user.auth)
      .send({ Nick_Name: '  小王 👷‍♂️ ' })
      .expect(200);
    expect(nick.body).toMatchObject({ Err_No: '0', Data: [{ WeChat_Nick_Name: '小王 👷‍♂️' }] });

    const up = await t.app.http
      .post('/api_3/xcx_avatar')
      .set(user.auth)
      .attach('WeChat_Avatar', PNG, { filename: 'tmp.txt', contentType: 'text/plain' })
      .expect(200);
    const url = up.body.Data[0].WeChat_Avatar_Url as string;
    expect(url).toMatch(/^\/api_3\/xcx_avatar\?id=\d+&v=[0-9a-f]+$/);
    expect(await me(user)).toMatchObject({ WeChat_Nick_Name: '小王 👷‍♂️', WeChat_Avatar_Url: url });

    const img = await t.app.http.get(url).set(user.auth).buffer(true).expect(200);
    expect(img.headers['content-type']).toBe('image/png');
    expect(Buffer.compare(img.body as Buffer, PNG)).toBe(0);
    // Readable by a colleague of the same organization, not by another organization.
    const colleague = await buildMember(t.app, user, 'viewer');
    await t.app.http.get(url).set(colleague.auth).expect(200);
    const stranger = await buildOrg(t.app);
    const hidden = await t.app.http.get(url).set(stranger.auth);
    expect(hidden.status).toBe(404);
    await t.app.http.get(url).expect(401);
  });

  it('refuses bad input naming the field and changes nothing', async () => {
    const user = await buildOrg(t.app);
    await bound(user);
    const before = await me(user);
    for (const Nick_Name of ['', '   ', 'x'.repeat(65), 'a\u0000b', 'line\nbreak', 'a\u2028b']) {
      const res = await t.app.http.put('/api_3/xcx_profile').set(user.auth).send({ Nick_Name });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ Err_No: '4103', Err_Detail: { field: 'Nick_Name' } });
    }
    const extra = await t.app.http
      .put('/api_3/xcx_profile')
      .set(user.auth)
      .send({ Nick_Name: 'ok', Usr_ID: '1' });
    expect(extra.status).toBe(400);

    const notImage = await t.app.http
      .post('/api_3/xcx_avatar')
      .set(user.auth)
      .attach('WeChat_Avatar', Buffer.from('<svg onload="alert(1)"></svg>'), {
        filename: 'x.png',
        contentType: 'image/png',
      });
    expect(notImage.status).toBe(400);
    expect(notImage.body).toMatchObject({ Err_No: '4103', Err_Detail: { field: 'WeChat_Avatar' } });
    const cut = await t.app.http
      .post('/api_3/xcx_avatar')
      .set(user.auth)
      .attach('WeChat_Avatar', PNG.subarray(0, PNG.length - 4), 'cut.png');
    expect(cut.status).toBe(400);
    expect(cut.body.Err_Detail.field).toBe('WeChat_Avatar');
    const big = await t.app.http
      .post('/api_3/xcx_avatar')
      .set(user.auth)
      .attach('WeChat_Avatar', Buffer.concat([PNG, Buffer.alloc(2 * 1024 * 1024)]), 'big.png');
    expect(big.status).toBe(400);
    expect(big.body.Err_Msg).toContain('2 MB');
    const empty = await t.app.http
      .post('/api_3/xcx_avatar')
      .set(user.auth)
      .attach('WeChat_Avatar', Buffer.alloc(0), 'empty.png');
    expect(empty.status).toBe(400);
    expect(empty.body.Err_Detail.field).toBe('WeChat_Avatar');
    const twice = await t.app.http
      .post('/api_3/xcx_avatar')
      .set(user.auth)
      .attach('WeChat_Avatar', PNG, 'a.png')
      .attach('WeChat_Avatar', PNG, 'b.png');
    expect(twice.status).toBe(400);
    expect(twice.body.Err_Detail.field).toBe('WeChat_Avatar');
    const text = await t.app.http.post('/api_3/xcx_avatar').set(user.auth).field('WeChat_Avatar', 'x');
    expect(text.status).toBe(400);

    expect(await me(user)).toEqual(before);
  });

  it('answers 404 when the caller has no WeChat bound, and never touches another user’s', async () => {
    const owner = await buildOrg(t.app);
    await bound(owner);
    const other = await buildMember(t.app, owner, 'admin');
    const before = await me(owner);
    const nick = await t.app.http.put('/api_3/xcx_profile').set(other.auth).send({ Nick_Name: '冒名' });
    expect(nick.status).toBe(404);
    expect(nick.body.Err_Msg).toContain('没有绑定微信');
    const avatar = await t.app.http
      .post('/api_3/xcx_avatar')
      .set(other.auth)
      .attach('WeChat_Avatar', PNG, 'a.png');
    expect(avatar.status).toBe(404);
    expect(await me(owner)).toEqual(before);
    expect(await me(other)).toMatchObject({
      Usr_WeChat_Bound: false,
      WeChat_Nick_Name: '',
      WeChat_Avatar_Url: '',
    });
    await t.app.http.put('/api_3/xcx_profile').send({ Nick_Name: 'x' }).expect(401);
  });

  it('unbinding drops the stored avatar: it no longer reads back', async () => {
    const user = await buildOrg(t.app);
    await bound(user);
    const up = await t.app.http
      .post('/api_3/xcx_avatar')
      .set(user.auth)
      .attach('WeChat_Avatar', PNG, 'a.png')
      .expect(200);
    const url = up.body.Data[0].WeChat_Avatar_Url as string;
    await t.app.http.delete('/api_3/xcx_info_bind').set(user.auth).expect(200);
    const res = await t.app.http.get(url).set(user.auth);
    expect(res.status).toBe(404);
  });
});
