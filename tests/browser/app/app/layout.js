export const metadata = { title: "Next.js + authpp" };
export default function RootLayout({ children }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: "sans-serif", margin: "2em", maxWidth: "48em" }}>{children}</body>
    </html>
  );
}
