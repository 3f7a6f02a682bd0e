-- Who started a command: the user ('user'), or the app reading a device's state by itself when a page
-- opens ('auto'). Automatic reads are kept, but the command history a user sees lists only 'user'.
alter table device_commands add column origin text not null default 'user';
alter table device_commands add constraint device_commands_origin_check check (origin in ('user', 'auto'));
