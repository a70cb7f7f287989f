// What a newcomer sees before any JavaScript runs, and the rough edges of the first hour: pages
// render on the server with their data, unknown ids answer 404 with a way back, the navigation
// marks the current section, the Listener table names its Client CA, "Used by" leads to the
// listener, dates read one way, lists page with "Load more", and tables fit a 375 px phone.
import type { Browser, Page } from "@playwright/test";
import { expect, test, unique, type Api } from "./support/fixtures";

interface Demo {
  lb: { id: string; name: string };
  listeners: { id: string; name: string; protocol: string; port: number; certificateId: string | null }[];
  certificate: { id: string; name: string };
}

/** The demo load balancer the server seeds on first start, as the API describes it. */
async function demo(api: Api): Promise<Demo> {
  let cursor: string | null = null;
  let lb: { id: string; name: string } | undefined;
  do {
    const page = await (await api.request.get(`/api/v1/load-balancers${cursor ? `?cursor=${cursor}` : ""}`)).json();
    lb = page.items.find((item: { name: string }) => item.name === "demo");
    cursor = page.nextCursor;
  } while (!lb && cursor);
  if (!lb) throw new Error("the demo load balancer is missing");
  const detail = await (await api.request.get(`/api/v1/load-balancers/${lb.id}`)).json();
  const https = detail.listeners.find((l: { protocol: string }) => l.protocol === "HTTPS");
  const certificate = await (await api.request.get(`/api/v1/certificates/${https.certificateId}`)).json();
  return { lb, listeners: detail.listeners, certificate };
}

/** A page as the server sent it: no JavaScript ran, so only the server's HTML shows. */
async function withoutJavaScript<T>(browser: Browser, visit: (page: Page) => Promise<T>): Promise<T> {
  const context = await browser.newContext({ javaScriptEnabled: false });
  try {
    return await visit(await context.newPage());
  } finally {
    await context.close();
  }
}

async function expectNoLoadingText(page: Page) {
  await expect(page.getByText(/Loading/)).toHaveCount(0);
}

test("every page's first paint, before any JavaScript, carries its data and a title", async ({ browser, api }) => {
  const { lb, listeners, certificate } = await demo(api);
  const https = listeners.find((l) => l.protocol === "HTTPS")!;

  await withoutJavaScript(browser, async (page) => {
    await page.goto("/load-balancers");
    await expect(page).toHaveTitle("Load balancers · certgate");
    await expect(page.getByRole("link", { name: lb.name, exact: true })).toBeVisible();
    await expectNoLoadingText(page);

    await page.goto(`/load-balancers/${lb.id}`);
    await expect(page).toHaveTitle(`${lb.name} · Load balancers · certgate`);
    await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toHaveText(`Load Balancers / ${lb.name}`);
    await expect(page.getByRole("heading", { level: 1, name: lb.name })).toBeVisible();
    for (const listener of listeners) await expect(page.getByRole("link", { name: listener.name })).toBeVisible();
    await expect(page.getByRole("row").filter({ hasText: https.name })).toContainText(certificate.name);
    await expectNoLoadingText(page);

    // The breadcrumb names the load balancer at once, never a placeholder "Load balancer".
    await page.goto(`/listeners/${https.id}`);
    await expect(page).toHaveTitle(`${https.name} · ${lb.name} · Load balancers · certgate`);
    await expect(page.getByRole("navigation", { name: "Breadcrumb" })).toHaveText(`Load Balancers / ${lb.name} / ${https.name}`);
    await expect(page.getByRole("heading", { level: 1, name: https.name })).toBeVisible();
    await expect(page.getByRole("link", { name: certificate.name })).toBeVisible();
    await expectNoLoadingText(page);

    // The first page of the list, whatever earlier tests uploaded: the same page the API serves first.
    const firstPage: { name: string }[] = (await (await api.request.get("/api/v1/certificates")).json()).items;
    await page.goto("/certificates");
    await expect(page).toHaveTitle("Certificates · certgate");
    for (const shown of [firstPage[0], firstPage[firstPage.length - 1]]) {
      await expect(page.getByRole("link", { name: shown.name, exact: true })).toBeVisible();
    }
    await expectNoLoadingText(page);

    await page.goto(`/certificates/${certificate.id}`);
    await expect(page).toHaveTitle(`${certificate.name} · Certificates · certgate`);
    await expect(page.getByRole("heading", { level: 1, name: certificate.name })).toBeVisible();
    await expect(page.getByText("SHA-256 fingerprint")).toBeVisible();
    await expectNoLoadingText(page);

    // This test's own change is the newest event, whatever earlier tests did.
    const marker = await api.createLoadBalancer(`first-paint-${Date.now()}`);
    await page.goto("/activity");
    await expect(page).toHaveTitle("Activity · certgate");
    await expect(page.getByRole("row").filter({ hasText: "Load balancer created" }).filter({ hasText: marker.name }).first()).toBeVisible();
    await expectNoLoadingText(page);
  });
});

test("the server's HTML holds the data (a plain GET, as curl sees it) and the page hydrates without errors", async ({ page, api }) => {
  const { lb, listeners } = await demo(api);
  const html = await (await api.request.get(`/load-balancers/${lb.id}`)).text();
  const main = html.slice(html.indexOf("<main"), html.indexOf("</main>"));
  for (const listener of listeners) expect(main).toContain(`>${listener.name}</a>`);
  expect(main).not.toContain("Loading");

  // Server and browser render the same text (dates included): React reports no hydration mismatch.
  const errors: string[] = [];
  page.on("console", (message) => message.type() === "error" && errors.push(message.text()));
  page.on("pageerror", (error) => errors.push(error.message));
  for (const path of ["/load-balancers", `/load-balancers/${lb.id}`, `/listeners/${listeners[0].id}`, "/certificates", "/activity"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await page.waitForLoadState("networkidle");
  }
  expect(errors).toEqual([]);
});

test("an unknown load balancer, listener or certificate answers 404 with a not-found page and a way back", async ({ page, api }) => {
  const cases = [
    { path: "/load-balancers/no-such-id", heading: "Load balancer not found", back: "Back to Load Balancers", lands: "Load Balancers" },
    { path: "/listeners/no-such-id", heading: "Listener not found", back: "Back to Load Balancers", lands: "Load Balancers" },
    { path: "/certificates/no-such-id", heading: "Certificate not found", back: "Back to Certificates", lands: "Certificates" },
    { path: "/no-such-page", heading: "Page not found", back: "Back to Load Balancers", lands: "Load Balancers" },
  ];
  for (const c of cases) {
    const response = await api.request.get(c.path);
    expect(response.status(), c.path).toBe(404);
    expect(await response.text()).toContain(c.heading);

    const navigation = await page.goto(c.path);
    expect(navigation?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: c.heading })).toBeVisible();
    await expect(page).toHaveTitle(`${c.heading.replace("Page not found", "Not found")} · certgate`);
    await page.getByRole("link", { name: c.back }).click();
    await expect(page.getByRole("heading", { level: 1, name: c.lands })).toBeVisible();
  }
});

test("the console has a favicon", async ({ page, api }) => {
  await page.goto("/load-balancers");
  const href = await page.locator('head link[rel="icon"]').getAttribute("href");
  expect(href).toBeTruthy();
  const icon = await api.request.get(href!);
  expect(icon.status()).toBe(200);
  expect(icon.headers()["content-type"]).toContain("image/svg+xml");
});

test("the navigation marks the current section on every page below it", async ({ page, api }) => {
  const { lb, listeners, certificate } = await demo(api);
  const nav = page.getByRole("navigation", { name: "Main" });
  const cases = [
    { path: "/load-balancers", section: "Load Balancers" },
    { path: `/load-balancers/${lb.id}`, section: "Load Balancers" },
    { path: `/listeners/${listeners[0].id}`, section: "Load Balancers" },
    { path: "/certificates", section: "Certificates" },
    { path: `/certificates/${certificate.id}`, section: "Certificates" },
    { path: "/activity?targetType=load_balancer", section: "Activity" },
  ];
  for (const c of cases) {
    await page.goto(c.path);
    await expect(nav.getByRole("link", { name: c.section }), c.path).toHaveAttribute("aria-current", "page");
    await expect(nav.locator('[aria-current="page"]'), `${c.path}: one current section`).toHaveCount(1);
  }
});

test("the Listener table names the Client CA certificate, and the name follows a change without a reload", async ({ page, api, certs }) => {
  const server = await api.serverCertificate();
  const ca = await api.ensureCertificate("ca", certs("root-ca.pem"));
  const lb = await api.createLoadBalancer(unique("ca-name"));
  const listener = await api.createListener(lb.id, { name: "https-18611", protocol: "HTTPS", port: 18611, certificateId: server.id });

  await page.goto(`/load-balancers/${lb.id}`);
  const row = page.getByRole("row").filter({ hasText: "https-18611" });
  await expect(row.getByRole("cell").nth(4)).toHaveText("Disabled");

  const patched = await api.request.patch(`/api/v1/listeners/${listener.id}`, { data: { clientAuth: { enabled: true, caCertificateId: ca.id } } });
  expect(patched.status()).toBe(200);
  await page.reload();
  await expect(row.getByRole("cell").nth(4)).toHaveText(ca.name);

  // Through the Edit dialog: the mutation refreshes the table, which names the new state.
  await row.getByRole("button", { name: "Edit" }).click();
  const dialog = page.getByRole("dialog", { name: "Edit listener" });
  await dialog.getByRole("checkbox", { name: "Enable Client CA" }).uncheck();
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByRole("cell").nth(4)).toHaveText("Disabled");
});

test("Used by on a certificate links to the listener page", async ({ page, api }) => {
  const { listeners, certificate } = await demo(api);
  const https = listeners.find((l) => l.protocol === "HTTPS")!;

  await page.goto(`/certificates/${certificate.id}`);
  const link = page.getByRole("link", { name: https.name, exact: true });
  await expect(link).toHaveAttribute("href", `/listeners/${https.id}`);
  await link.click();
  await expect(page.getByRole("heading", { level: 1, name: https.name })).toBeVisible();

  await page.goto("/certificates");
  const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: certificate.name, exact: true }) });
  // Earlier tests may have uploaded more than a page of certificates: load pages until the row shows.
  // Each round waits for the row or for Load more, whichever the page shows, so a slow render is
  // not mistaken for "not on this page".
  const loadMore = page.getByRole("button", { name: /^Load more/ });
  while (!(await row.isVisible())) {
    await expect(row.or(loadMore).first()).toBeVisible();
    if (!(await row.isVisible())) await loadMore.click();
  }
  await row.getByRole("link", { name: https.name, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/listeners/${https.id}$`));
});

test("dates read one way on every page", async ({ page, api }) => {
  const { lb } = await demo(api);
  const oneFormat = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC$/;
  await page.goto("/load-balancers");
  await expect(page.getByRole("row").filter({ hasText: lb.name }).locator("time")).toHaveText(oneFormat);
  await page.goto(`/load-balancers/${lb.id}`);
  await page.getByRole("tab", { name: "Details" }).click();
  await expect(page.locator("dd time")).toHaveText(oneFormat);
  await page.goto("/activity");
  const times = await page.getByRole("row").locator("time").allTextContents();
  expect(times.length).toBeGreaterThan(0);
  for (const time of times) expect(time).toMatch(oneFormat);
});

test("the load balancer list pages with Load more instead of loading everything", async ({ page, api }) => {
  // Newest first: the 51 made here fill the first page, the older ones (demo) come with Load more.
  const prefix = unique("page");
  const made: { id: string; name: string }[] = [];
  for (let i = 0; i < 51; i++) made.push(await api.createLoadBalancer(`${prefix}-${String(i).padStart(2, "0")}`));
  try {
    const requests: string[] = [];
    page.on("request", (request) => request.url().includes("/api/v1/load-balancers") && requests.push(request.url()));
    await page.goto("/load-balancers");
    const table = page.getByRole("table", { name: "Load balancers" });
    await expect(table.getByRole("link")).toHaveCount(50);
    await expect(table.getByRole("link", { name: "demo", exact: true })).toHaveCount(0);
    await page.getByRole("button", { name: "Load more load balancers" }).click();
    await expect(table.getByRole("link", { name: "demo", exact: true })).toBeVisible();
    await expect(table.getByRole("link", { name: made[0].name })).toBeVisible();
    expect(requests.some((url) => url.includes("cursor="))).toBe(true);
    expect(requests.every((url) => !url.includes("limit=500"))).toBe(true);
  } finally {
    for (const lb of made) await api.request.delete(`/api/v1/load-balancers/${lb.id}`);
  }
});

test("at 375 px every table reads without sideways scrolling", async ({ page, api }) => {
  const { lb, listeners, certificate } = await demo(api);
  await page.setViewportSize({ width: 375, height: 740 });
  for (const path of ["/load-balancers", `/load-balancers/${lb.id}`, `/listeners/${listeners[0].id}`, "/certificates", `/certificates/${certificate.id}`, "/activity"]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    const pageWidth = await page.evaluate(() => document.scrollingElement!.scrollWidth);
    expect(pageWidth, `${path} is wider than the screen`).toBeLessThanOrEqual(375);
    // No table hides columns behind its own horizontal scroll bar either.
    const scrolling = await page.locator("table").evaluateAll((tables) =>
      tables.filter((t) => t.parentElement!.scrollWidth > t.parentElement!.clientWidth || t.getBoundingClientRect().right > 375).length,
    );
    expect(scrolling, `${path} has a table wider than the screen`).toBe(0);
  }
  // Each cell names its column, so a stacked row still reads as "Port 18101".
  await page.goto(`/load-balancers/${lb.id}`);
  const port = page.getByRole("row").filter({ hasText: listeners[0].name }).locator('td[data-label="Port"]');
  await expect(port).toHaveText(String(listeners[0].port));
  expect(await port.evaluate((td) => getComputedStyle(td, "::before").content)).toBe('"Port"');
});
