import { createConnector, ConnectorError } from 'linkedin-connector';

const li = await createConnector({ accessToken: async () => process.env.LINKEDIN_ACCESS_TOKEN });
try {
  const me = await li.commands.getUserInfo();
  const post = await li.commands.createPost({ author: me.personUrn, text: 'Shipping (v2) today #rust' });
  console.log(post.id, post.url);
} catch (error) {
  if (!(error instanceof ConnectorError)) throw error;
  console.error(error.kind, error.field ?? '', error.message); // e.g. unauthorized: reconnect LinkedIn
}
