// Tells Python when this browser tab had a playground session before this one: the page was
// reloaded, or the server restarted and the page reconnected. sessionStorage belongs to one tab,
// so a copied link opened anywhere else starts without it (and without a false warning).
const STORAGE_KEY = "nn-playground-session";

export default function (component) {
  const { data, setStateValue } = component;
  let previous = null;
  try {
    previous = window.sessionStorage.getItem(STORAGE_KEY);
    window.sessionStorage.setItem(STORAGE_KEY, data.session);
  } catch (error) {
    return; // storage switched off: say nothing rather than guess
  }
  if (previous !== null && previous !== data.session) setStateValue("earlier_session", true);
}
