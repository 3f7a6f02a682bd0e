-- Avatar a user chose with WeChat's avatar picker (open-type="chooseAvatar"), stored by us.
alter table wechat_identities add column avatar_key text;
alter table wechat_identities add column avatar_mime text;
