Console.WriteLine("placeholder: replaced by the bench");
