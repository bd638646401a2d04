// The steps the workbench checks take, each waiting on the state it needs (a row, a title, a
// notification, a file, the emulator's records), never on a fixed pause: a busy machine makes a
// step slower, not wrong. CEILING only bounds a hung run; it is not the time a step is expected to take.

/** The most one wait may take before the check fails. */
export const CEILING = 120_000;

/**
 * Waits until `condition` holds (state outside the page: a file, the emulator's records), checking
 * every 50 ms; fails with `what` once the ceiling passes.
 * @template T
 * @param {() => T | Promise<T>} condition
 * @param {string} what
 * @returns {Promise<T>}
 */
export async function until(condition, what, ceiling = CEILING) {
  const deadline = Date.now() + ceiling;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${what} (after ${ceiling / 1000} s)`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** @param {string} text */
const exactly = (text) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

/**
 * Steps on one workbench page, as a person takes them (the palette, quick inputs, notifications).
 * @param {import('playwright-core').Page} page
 */
export function workbenchSteps(page) {
  page.setDefaultTimeout(CEILING);
  const quickInput = page.locator('.quick-input-widget');

  /** The page has handled every event sent to it so far (a key's handlers and what they queued have run). */
  const rendered = () =>
    page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0))));

  /**
   * Runs a command from the palette (F1), once its row is the focused one. A palette opened before
   * the window had registered every extension's commands (just after a reload) lists what it had
   * then and never the rest: when it says nothing matches, it is closed and opened again.
   */
  const runCommand = async (/** @type {string} */ title) => {
    const row = quickInput.locator('.monaco-list-row.focused .label-name', { hasText: exactly(title) }).first();
    const noMatch = quickInput
      .locator('.monaco-list-row', { hasText: /similar commands|No matching commands/ })
      .first();
    await until(async () => {
      await page.keyboard.press('F1');
      // A palette opened again shows what was typed last, selected: it is typed over.
      await page.waitForFunction(() => {
        const input = document.activeElement;
        return (
          input instanceof HTMLInputElement && !!input.closest('.quick-input-widget') && input.value.startsWith('>')
        );
      });
      await page.keyboard.press('ControlOrMeta+A');
      await page.keyboard.type(`>${title}`);
      // Either this command's row is focused, or the palette says nothing matches.
      await row.or(noMatch).first().waitFor();
      if (await row.isVisible()) return true;
      await page.keyboard.press('Escape');
      await quickInput.waitFor({ state: 'hidden' });
      return false;
    }, `the palette never listed "${title}"`);
    await page.keyboard.press('Enter');
  };

  /**
   * Waits for a quick-input step (its title, its message, a list row with this text: each given;
   * an input box that follows a list of the same title is told apart by its prompt), types the
   * answer and presses Enter. In a list (a row given), Enter waits until the typed text's row is the
   * focused one.
   * @param {{ title?: string | RegExp, row?: string | RegExp, message?: string | RegExp }} step
   * @param {string} [typed]
   */
  const answerStep = async (step, typed) => {
    if (step.title) await quickInput.locator('.quick-input-title', { hasText: step.title }).first().waitFor();
    if (step.message) await quickInput.locator('.quick-input-message', { hasText: step.message }).first().waitFor();
    if (step.row) await quickInput.locator('.monaco-list-row', { hasText: step.row }).first().waitFor();
    if (typed) {
      await page.keyboard.type(typed);
      if (step.row) await quickInput.locator('.monaco-list-row.focused', { hasText: typed }).first().waitFor();
    }
    await page.keyboard.press('Enter');
  };

  const center = page.locator('.notifications-center');
  const hideNotificationCenter = async () => {
    if (!(await center.isVisible())) return;
    await page.keyboard.press('Escape');
    await center.waitFor({ state: 'hidden' });
  };

  /**
   * A notification, where a person finds it: its toast, held under the mouse (VS Code hides a toast
   * 15 to 18 s after it appears unless the mouse is over it), else in the notification center (a toast
   * hidden already, or never shown beside others). Returns the element that holds its buttons.
   * @param {string | RegExp} text
   */
  const notification = async (text) => {
    const toast = page.locator('.notification-toast', { hasText: text }).first();
    // Where it is found, not whether: a toast missed here is in the center, which is checked next.
    const toasted = await toast.waitFor({ timeout: CEILING / 2 }).then(
      () =>
        toast.hover({ timeout: 10_000 }).then(
          () => true,
          () => false,
        ),
      () => false,
    );
    if (toasted) return toast;
    if (!(await center.isVisible())) await runCommand('Notifications: Show Notifications');
    const item = center.locator('.notification-list-item', { hasText: text }).first();
    await item.waitFor();
    return item;
  };

  /** A job's summary, toasted or in the notification center (which is closed again). */
  const expectSummary = async (/** @type {string | RegExp} */ summary) => {
    await notification(summary);
    await hideNotificationCenter();
  };

  /**
   * Clicks a notification's button, in its toast or the notification center.
   * @param {string | RegExp} text
   * @param {string} button
   */
  const clickNotificationButton = async (text, button) => {
    const found = await notification(text);
    await found.locator('.monaco-button', { hasText: button }).first().click();
    await hideNotificationCenter();
  };

  /**
   * The extension host has handled what it was sent before this (a key, a dialog's button): a
   * command run now shows its picker only once the host got to it. For checks that nothing happened
   * (nothing sent, nothing changed), read after this. Filter… only asks which connection; Escape leaves it.
   */
  const extensionHostCaughtUp = async () => {
    await runCommand('Workspace Access: Filter…');
    await quickInput
      .locator('.quick-input-title', { hasText: exactly('Filter…') })
      .first()
      .waitFor();
    await page.keyboard.press('Escape');
    await quickInput.waitFor({ state: 'hidden' });
  };

  /** No hover (a row's tooltip) is shown. */
  const noHover = () =>
    page.waitForFunction(() =>
      Array.from(document.querySelectorAll('.monaco-hover')).every((e) => e.getClientRects().length === 0),
    );

  return {
    quickInput,
    rendered,
    runCommand,
    answerStep,
    notification,
    expectSummary,
    clickNotificationButton,
    hideNotificationCenter,
    extensionHostCaughtUp,
    noHover,
  };
}
