// The GraphQL explorer at /graphiql: a query, its variables, the answer, and the schema's root fields from
// introspection. Everything comes from this service (no CDN), so it works in clusters without internet.
(() => {
  const form = document.getElementById('explorer');
  const query = document.getElementById('query');
  const variables = document.getElementById('variables');
  const result = document.getElementById('result');
  const fields = document.getElementById('fields');
  const params = new URLSearchParams(location.search);
  if (params.get('query')) query.value = params.get('query');
  async function post(body) {
    const res = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    return res.json();
  }
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    let vars = {};
    if (variables.value.trim()) {
      try {
        vars = JSON.parse(variables.value);
      } catch (err) {
        result.textContent = `Variables are not JSON: ${err.message}`;
        return;
      }
    }
    result.textContent = 'Running…';
    try {
      result.textContent = JSON.stringify(await post({ query: query.value, variables: vars }), null, 2);
      history.replaceState(null, '', `?query=${encodeURIComponent(query.value)}`);
    } catch (err) {
      result.textContent = `The request failed: ${err.message}`;
    }
  });
  post({ query: '{ __schema { queryType { fields { name description } } } }' }).then((r) => {
    for (const f of r.data?.__schema.queryType.fields ?? []) {
      const li = document.createElement('li');
      const code = document.createElement('code');
      code.textContent = f.name;
      li.append(code, f.description ? ` — ${f.description}` : '');
      fields.append(li);
    }
  });
})();
